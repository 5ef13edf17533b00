"""Writes `redaction_corpus.jsonl`: planted personal details for measuring the redaction pass.

Each line is {"text", "mask": [phrases that must be masked], "keep": [phrases that must
survive]}. The texts are written the way people write to a police and crime commissioner:
letters and emails that introduce the writer, sign off, quote a National Insurance number or a
date of birth, and ordinary comments full of capitalised words that are not anyone's name
(boroughs, the Met, "Stop and search", dates of incidents). Run it again only to change the
corpus on purpose: `python tests/security/data/make_redaction_corpus.py`; the file is committed
so the measurement never moves by accident.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

OUT = Path(__file__).with_name("redaction_corpus.jsonl")

NAMES = [
    "Jane Example",
    "Amara Okonkwo",
    "Tomasz Nowak",
    "Siobhan Kelly",
    "Mohammed Al-Rashid",
    "Wei Zhang",
    "Priya Patel",
    "Kwame Mensah",
    "Fatima Begum",
    "Oliver Smith",
    "Grace O'Connor",
    "Liam McCarthy",
    "Zainab Hussain",
    "Daniel Okafor",
    "Ewa Kowalska",
    "Hannah Goldberg",
    "Ravi Shankar",
    "Chloe Martin",
    "Yusuf Demir",
    "Bethany Clarke",
    "Samuel Adeyemi",
    "Rosa Fernandes",
    "Aidan Walsh",
    "Nadia Rahman",
    "George Thompson",
    "Mei Lin",
    "Kofi Boateng",
    "Ellie Harris",
    "Ibrahim Diallo",
    "Sophie Turner",
]
FIRST = [n.split()[0] for n in NAMES]
# Names that are also ordinary words: a real test of the pass, expected to be hard.
HARD_NAMES = ["April Jones", "Chelsea Brown", "Hope Williams", "Will Parker", "Faith Ade"]

INTROS = [
    "I am {n} and I have lived in Croydon for twenty years.",
    "I am {n}, a resident of Lewisham.",
    "Hello, I'm {n}. I want to talk about knife crime near the station.",
    "My name is {n} and I run a youth club in Tottenham.",
    "I’m {n} and my son was stopped and searched twice last month.",
    "Good morning. I am {n}; I chair our tenants' group in Southwark.",
    "This is {n} writing about the closure of the front counter.",
    "I'm {n}, I work nights and the buses feel unsafe.",
    "Dear MOPAC, I am {n}. Please put more officers on foot in Brixton.",
    "Hi, my name's {n} and I think the plan ignores older people.",
]
SIGNOFFS = [
    "Regards,\n{n}",
    "Kind regards,\n{n}",
    "Best wishes,\n{n}",
    "Many thanks,\n{n}",
    "Yours sincerely,\n\n{n}",
    "Yours faithfully,\n{n}",
    "Thanks,\n{n}",
    "Best,\n{n}",
    "Warm regards\n{n}",
    "Thank you,\n{n}",
    "Cheers,\n{n}",
    "Regards, {n}",
]
BODIES = [
    "I am worried about antisocial behaviour on our estate.",
    "The Met Police need to answer 999 calls faster.",
    "Stop and search is used too much on young Black men.",
    "We need more PCSOs in Hackney town centre.",
    "Please keep the front counter at Lewisham police station open.",
    "Violence against women and girls must stay a priority.",
    "The ward panel in Barnet has not met since March.",
    "Knife crime in Newham has gone up since 2021.",
    "Response times in Havering are far too slow.",
    "Burglary on Harrow Road happens every week and nothing is done.",
]
NI = [
    "QQ 12 34 56 C",
    "QQ123456C",
    "AB 12 34 56 A",
    "JG103759A",
    "jg 10 37 59 a",
    "NX 98 76 54 D",
    "PR-11-22-33-B",
    "ZR 55 44 33 C",
    "CE 01 02 03 A",
    "TW123456B",
    "SK 44 55 66 D",
    "HE 77 88 99 A",
]
NI_TEMPLATES = [
    "My National Insurance number is {x} if you need it.",
    "NI number: {x}",
    "For your records my NI no. is {x}.",
    "Please find my details below.\nNI: {x}\nThank you.",
    "They asked for my national insurance ({x}) at the station, which I found odd.",
]
DATES = [
    "12/03/1985",
    "3/7/1972",
    "01-11-1990",
    "24.12.1968",
    "1985-03-12",
    "12 March 1985",
    "3rd July 1972",
    "1st of November 1990",
    "March 12, 1985",
    "24 Dec 1968",
    "7 Sept 2001",
    "15/06/54",
    "29th February 1996",
    "2 January 1950",
]
DOB_TEMPLATES = [
    "I was born on {d} and have lived here all my life.",
    "DOB: {d}",
    "Date of birth: {d}.",
    "My date of birth is {d}, so I remember the old beat officers.",
    "D.O.B. {d}",
    "My son (born {d}) was stopped outside school.",
    "{d} is my date of birth, as the form asks.",
    "Born {d} in Lambeth.",
    "Details: name withheld, date of birth {d}, Croydon resident.",
    "My birthday is {d}.",
]
BORN_YEARS = ["1962", "1979", "1988", "2004", "1951"]
OTHER = [
    (
        "Email me at {e} about the plan.",
        "e",
        ["jo.bloggs+plan@example.co.uk", "amara.o@mail.example", "t.nowak@work.example.org"],
    ),
    ("Call me on {p} after six.", "p", ["07700 900123", "020 7946 0958", "+44 7700 900 456"]),
    (
        "I live at {a} and the street lights are broken.",
        "a",
        ["42 Acacia Avenue", "7 Station Road", "15 Elm Grove", "3a Mill Lane"],
    ),
    ("Our postcode is {c}, near the park.", "c", ["CR0 1AB", "SE15 4QF", "N17 0AP", "e1 6an"]),
    ("PC {n} was very helpful when we were burgled.", "n", ["Sarah Jones", "Tom Reid"]),
    ("Councillor {n} raised it at the ward panel.", "n", ["Ahmed Khan", "Ruth Adams"]),
    ("Mrs {n} next door saw everything.", "n", ["O'Brien", "Patel"]),
]
# Ordinary comments full of capitalised words, numbers and dates that are no one's.
NEGATIVES = [
    (
        "Stop and search in Lambeth should be reviewed by an independent panel.",
        ["Stop and search", "Lambeth"],
    ),
    ("The Met Police closed the front counter in Tower Hamlets.", ["Met Police", "Tower Hamlets"]),
    ("I am British and I want the police to be fair to everyone.", ["British"]),
    ("I am Black and I have been stopped five times this year.", ["Black"]),
    ("I'm Muslim and I felt targeted after the attack.", ["Muslim"]),
    ("I am not happy with how the Met handled my burglary.", ["Met"]),
    ("On 12 March 2024 I reported a theft and heard nothing.", ["12 March 2024"]),
    ("The incident happened on 03/02/2023 at about 10pm.", ["03/02/2023"]),
    ("The plan runs from 2022 to 2025.", ["2022", "2025"]),
    ("Crime in Croydon rose by 12 34 per cent? The figures make no sense.", ["Croydon"]),
    ("Section 60 orders in Hackney must be explained to residents.", ["Section 60", "Hackney"]),
    ("More officers on foot in Enfield Town would help.", ["Enfield Town"]),
    ("Thank you for the chance to comment.\nMet Police Watch", ["Met Police Watch"]),
    (
        "Please reply to the Lambeth Residents Forum.\nLambeth Residents Forum",
        ["Lambeth Residents Forum"],
    ),
    ("We met at Brixton Police Station on Tuesday.", ["Brixton Police Station", "Tuesday"]),
    ("This is London: we deserve a police service that listens.", ["London"]),
    (
        "Violence Against Women and Girls should be the first priority.",
        ["Violence Against Women and Girls"],
    ),
    (
        "The Mayor's Office for Policing and Crime should publish more data.",
        ["Mayor's Office for Policing and Crime"],
    ),
    ("I am Chair of the Safer Neighbourhood Board in Sutton.", ["Safer Neighbourhood Board"]),
    ("Knife crime on the Northern Line worries me.", ["Northern Line"]),
    ("The NHS and TfL should work with the police on this.", ["NHS", "TfL"]),
    ("Youth clubs in Waltham Forest have closed since 2010.", ["Waltham Forest"]),
    ("Response times in Kingston upon Thames are fine.", ["Kingston upon Thames"]),
    ("Call 101 or 999, they never answer.", ["101", "999"]),
    ("I'm writing on behalf of St Mary's Church in Harrow.", ["St Mary's Church"]),
    ("Our group, Hackney Parents Together, wants safer streets.", ["Hackney Parents Together"]),
    ("Ward 12 had 34 burglaries and 56 robberies in 2023.", ["Ward 12", "34", "56"]),
    ("Born and raised in Peckham, I have never seen it this bad.", ["Peckham"]),
    ("My birthday party was ruined by a fight outside the pub.", ["birthday party"]),
    ("Operation Sceptre took knives off the street in Camden.", ["Operation Sceptre", "Camden"]),
    ("I am Jewish and hate crime is rising.", ["Jewish"]),
    ("I'm Polish and I could not report a crime in my language.", ["Polish"]),
    ("The Commissioner promised change; Londoners are still waiting.", ["Commissioner"]),
    ("Neighbourhood Watch in Bexley works well with local officers.", ["Neighbourhood Watch"]),
    ("Thanks\nStreatham Neighbourhood Watch", ["Streatham Neighbourhood Watch"]),
    ("Kind regards,\nThe Residents' Association", ["The Residents' Association"]),
    ("I am Head of Safeguarding at a secondary school.", ["Head of Safeguarding"]),
    ("Please see attached.\nMOPAC Consultation Team", ["MOPAC Consultation Team"]),
    ("The A406 North Circular is a hotspot for car crime.", ["A406 North Circular"]),
    ("Use of Tasers by the Met should be recorded and published.", ["Tasers"]),
]

# Follow-up (a hostile tester's bypasses, and the variants an attacker would try next).
# Names with accents, apostrophes and hyphens.
ACCENTED = [
    "Zoë Núñez",
    "Margaret O'Brien-Smythe",
    "Łukasz Wiśniewski",
    "Siân Lloyd-Jones",
    "José Ramírez",
    "Chloé Dubois",
    "Søren Østergaard",
    "Nguyễn Văn An",
    "Şükrü Yılmaz",
    "Aoife Ní Bhriain",
]
# What follows a sign-off: a postscript, a phone's footer, a quoted reply, a signature block.
TAILS = [
    "\n\nSent from my iPhone",
    "\n\nP.S. The street lights on our road are still out.",
    "\n--\nGet Outlook for Android",
    "\n\n> On 3 March 2025, MOPAC Consultation Team wrote:\n> Thank you for your comments.",
    "\nPS sorry for the long email",
    "\n\n-----Original Message-----\nFrom: MOPAC\nSubject: Police and crime plan",
]
SIGNOFF_STYLES = [
    "Kind regards,\n{n}",
    "Signed: {n}",
    "Regards, {n} (Mrs)",
    "Regards,\n{N}",
    "> Kind regards,\n> {n}",
    "Best wishes\n{n}, Chair",
    "Yours sincerely\n\n{N}",
    "Thanks, {n}",
    "Many thanks,\n{n} (Dr)",
    "From: {n} <resident@example.org>",
]
LOWER_INTROS = [
    "my name is {n} and i live in Hackney.",
    "i am {n}, from Lewisham",
    "hi im {n} and the buses are not safe at night",
    "i'm {n} and i want more police on the estate",
    "My name is {n}. I am writing about knife crime.",
]
CAPS_INTROS = ["MY NAME IS {N} AND NOBODY LISTENS", "My name is {N}, Flat owner"]
ADDRESSES = [
    ("I live in Flat 3b above the chemist.", "Flat 3b"),
    ("Apartment 5 The Maltings, Church Lane", "Apartment 5 The Maltings, Church Lane"),
    (
        "Write to me at Flat 12, Rosebery House, 4 High Street.",
        "Flat 12, Rosebery House, 4 High Street",
    ),
    ("Our home, Rose Cottage, Mill Lane, was burgled twice.", "Rose Cottage, Mill Lane"),
    ("It happened right outside 12A Mill Lane.", "12A Mill Lane"),
    ("They broke into 14b Elm Grove last week.", "14b Elm Grove"),
    ("My address is flat 7, 22 Acacia Avenue.", "flat 7, 22 Acacia Avenue"),
    (
        "Apt. 9 Riverside Court, Wharf Road floods every winter.",
        "Apt. 9 Riverside Court, Wharf Road",
    ),
    ("Dealing goes on at 12-14 Station Road every night.", "12-14 Station Road"),
    ("Maisonette 2 on our estate has been raided twice.", "Maisonette 2"),
    ("The Old Lodge, 3 Park Lane is my parents' house.", "The Old Lodge, 3 Park Lane"),
    ("We are at Flat 4 Jubilee House near the market.", "Flat 4 Jubilee House"),
]
ODD_POSTCODES = [
    "S W 1 A 1 A A",
    "sw1a1aa",
    "SW1A  1AA",
    "se154qf",
    "E1-6AN",
    "N 1 7 0 A P",
    "cr0 1ab",
]
POSTCODE_TEMPLATES = ["Postcode {x} please.", "My postcode is {x} and nobody patrols it."]
OBFUSCATED_EMAILS = [
    "margaret [at] example [dot] org",
    "m.obs(at)example.co.uk",
    "jo at example dot com",
    "jo.bloggs {at} mail {dot} example {dot} co {dot} uk",
    "amara<at>example.org",
    "t.nowak [@] work [.] example [.] org",
    "JO AT EXAMPLE DOT COM",
    "jo @ example.com",
    "priya(at)example(dot)london",
]
EMAIL_TEMPLATES = ["Email me on {x} if you want to talk.", "Contact: {x}"]
ODD_PHONES = [
    "0044 7700900123",
    "+44 (0)20 7946 0958",
    "020.7946.0959",
    "(020) 7946 0960",
    "07700-900-123",
    "+44(0)7700 900 456",
    "0207 946 0961",
    "07700 900 124",
    "+447700900125",
]
PHONE_TEMPLATES = ["Ring me on {x} any evening.", "Tel: {x}"]
ODD_NI = ["QQ.12.34.56.C", "qq-12-34-56-c", "AB.123456.A", "jg 103759 a", "NX-98-76-54-D"]
ODD_DOBS = [
    ("I was born on the fourth of July 1960.", "fourth of July 1960"),
    ("born 4 Jul '60", "4 Jul '60"),
    ("DOB: 04/07/60", "04/07/60"),
    ("d.o.b. 4.7.1960", "4.7.1960"),
    ("I was born on July the fourth, 1960, in Camden.", "July the fourth, 1960"),
    ("Born on the twenty-first of March 1972 in Lambeth.", "twenty-first of March 1972"),
    ("My date of birth is 1st Jan. 1949.", "1st Jan. 1949"),
    ("DOB 3rd of Sept 1981", "3rd of Sept 1981"),
    ("I was born in July 1960 and grew up here.", "July 1960"),
    ("Date of birth - 29.02.1996", "29.02.1996"),
    ("birthday: the second of May 1988", "the second of May 1988"),
    ("Born 1955, I remember when police walked the beat.", "1955"),
]
# The hostile tester's own examples, word for word.
TESTER = [
    ("My name is margaret o'brien-smythe and I live here.", "margaret o'brien-smythe"),
    ("i am jo bloggs, from Hackney", "jo bloggs"),
    (
        "Please act.\n\nKind regards,\nJoanna Bloggsworth\n\nSent from my iPhone",
        "Joanna Bloggsworth",
    ),
    ("Nobody came.\n\nRegards,\nJO BLOGGS", "JO BLOGGS"),
    ("Signed: Jo Bloggs", "Jo Bloggs"),
    ("Fix the lights.\nRegards, Jo Bloggs (Mrs)", "Jo Bloggs"),
    ("Please act.\n\nJane O'Brien-Smythe\n--\nSent from Outlook", "Jane O'Brien-Smythe"),
    ("Thank you.\n\nBest wishes,\nZoë Núñez", "Zoë Núñez"),
]
# Names in the middle of a sentence with no cue: rules cannot tell them from other
# capitalised words, so the pass does not look for them. Planted so the figures say so.
MID_SENTENCE = [
    ("I saw Jo Bloggs selling drugs by the bus stop.", "Jo Bloggs"),
    ("Our neighbour Kwame Mensah was attacked last year.", "Kwame Mensah"),
    ("Nobody helped when Ewa was robbed on the bus.", "Ewa"),
    ("The youth worker, Daniel Okafor, does more than the police.", "Daniel Okafor"),
    ("My daughter Grace was followed home from school.", "Grace"),
]
# Ordinary words that the follow-up's rules could mistake for personal details.
NEAR_MISSES = [
    ("The Flat rate for parking permits is unfair.", ["Flat rate"]),
    ("We were flat out all week after the riot.", ["flat out"]),
    ("Apartment blocks in Lambeth need better lighting.", ["Apartment blocks"]),
    ("Meet at the station at 10 and walk together.", ["at the station"]),
    ("I'll be at home dot on six if you call.", ["at home"]),
    ("Born and bred in Hackney, I have seen it all.", ["Born and bred in Hackney"]),
    ("Church Lane is dangerous after dark.", ["Church Lane is dangerous"]),
    ("Mill Lane and Station Road need more patrols.", ["Mill Lane", "Station Road"]),
    ("I am worried about the estate.", ["I am worried"]),
    ("i am fed up with waiting for a call back", ["i am fed up"]),
    ("im sick of it, nobody comes", ["im sick of it"]),
    ("i'm scared to go out after dark", ["i'm scared"]),
    ("i am a mum of three and i am tired", ["i am a mum", "i am tired"]),
    ("i am absolutely livid about the response", ["i am absolutely livid"]),
    ("i am writing to complain about stop and search", ["i am writing"]),
    ("I'm disgusted by how they spoke to my son.", ["I'm disgusted"]),
    ("My name is not important; the problem is.", ["My name is not important"]),
    ("my name is withheld for my safety", ["my name is withheld"]),
    ("On the fourth of July 2023 I was robbed on the bus.", ["fourth of July 2023"]),
    ("The 4th of July fireworks kept everyone up.", ["4th of July"]),
    ("We met on 12 March 2025 at the ward panel.", ["12 March 2025"]),
    ("Room 101 at the town hall was too small for the meeting.", ["Room 101"]),
    ("Call 101 or 999, they never answer.", ["101", "999"]),
    ("Crime rose 0.5 per cent from 2022 to 2023.", ["0.5", "2022", "2023"]),
    ("Routes 12 and 36 are where the fights happen.", ["12 and 36"]),
    ("Please act.\n\nSent from my iPhone", ["Sent from my iPhone"]),
    ("Enough is enough.\n\nNO MORE STOP AND SEARCH", ["NO MORE STOP AND SEARCH"]),
    ("Why is nobody listening?\n\nURGENT", ["URGENT"]),
    ("Please reply.\n\nKind regards,\nLAMBETH RESIDENTS FORUM", ["LAMBETH RESIDENTS FORUM"]),
    ("Thanks\nStreatham Residents Association", ["Streatham Residents Association"]),
    ("Best wishes,\nEveryone at Brixton Mosque", ["Everyone at Brixton Mosque"]),
    ("Regards,\nThe Tenants of Elm Court", ["The Tenants of Elm Court"]),
    ("Our group meets at the library on Tuesdays.", ["at the library"]),
    ("Section 60 and S1 orders are different things.", ["Section 60"]),
    # Masked by mistake in real comments (bench/redaction) while the rules were written.
    ("I am extremely grateful to the officers who came.", ["I am extremely grateful"]),
    ("I'm diabetic and the custody suite ignored it.", ["I'm diabetic"]),
    ("I am between 20 and 25 years old.", ["I am between 20 and 25"]),
    ("I’m Confused but the officers were kind.", ["I’m Confused"]),
    ("They were quick and kind.\nReassuring.", ["Reassuring."]),
    ("Nothing to add.\nWell Done.", ["Well Done."]),
    ("Rents are $500 for a family @ 1.91% tax.", ["@ 1.91%"]),
]


def main() -> None:
    rng = random.Random(2026)
    rows: list[dict] = []

    def add(text: str, mask: list[str], keep: list[str] | None = None) -> None:
        rows.append({"text": text, "mask": mask, "keep": keep or []})

    for i, name in enumerate(NAMES):  # 30 introductions, half with first names only
        who = name if i % 2 == 0 else name.split()[0]
        add(INTROS[i % len(INTROS)].format(n=who), [who])
    for i, name in enumerate(NAMES):  # 30 sign-offs after a body
        body = BODIES[i % len(BODIES)]
        who = name if i % 3 else name.split()[0]
        add(f"{body}\n\n{SIGNOFFS[i % len(SIGNOFFS)].format(n=who)}", [who], [])
    for i in range(20):  # a name alone on the last line
        name = NAMES[(i * 7) % len(NAMES)]
        body = BODIES[i % len(BODIES)]
        add(f"Dear Sir or Madam,\n\n{body}\n\n{name}", [name])
    for i, name in enumerate(HARD_NAMES):
        add(f"I am {name} and I live in Ealing.", [name])
        add(f"{BODIES[i]}\n\nRegards,\n{name}", [name])
    for i, number in enumerate(NI):  # 24 National Insurance numbers
        add(NI_TEMPLATES[i % len(NI_TEMPLATES)].format(x=number), [number])
        add(NI_TEMPLATES[(i + 2) % len(NI_TEMPLATES)].format(x=number), [number])
    for i, date in enumerate(DATES):  # 42 dates of birth
        for k in range(3):
            add(DOB_TEMPLATES[(i + 3 * k) % len(DOB_TEMPLATES)].format(d=date), [date])
    for year in BORN_YEARS:
        add(f"I was born in {year} and have never felt less safe.", [year])
    for template, key, values in OTHER:
        for value in values:
            add(template.format(**{key: value}), [value])
    for text, keep in NEGATIVES:
        add(text, [], keep)
    for _ in range(25):  # mixed letters: several details among ordinary words
        name = NAMES[rng.randrange(len(NAMES))]
        date = DATES[rng.randrange(len(DATES))]
        number = NI[rng.randrange(len(NI))]
        body, keep = NEGATIVES[rng.randrange(len(NEGATIVES))]
        add(
            f"Dear MOPAC,\n\nMy name is {name}, DOB {date}, NI {number}. {body}\n\n"
            f"Yours sincerely,\n{name}",
            [name, date, number],
            keep,
        )

    # Follow-up: a sign-off wherever it sits, in every style, with whatever follows it.
    for i, name in enumerate(ACCENTED + NAMES[:14]):
        style = SIGNOFF_STYLES[i % len(SIGNOFF_STYLES)]
        text = style.format(n=name, N=name.upper())
        shown = name.upper() if "{N}" in style else name
        email = ["resident@example.org"] if "@" in style else []
        add(f"{BODIES[i % len(BODIES)]}\n\n{text}{TAILS[i % len(TAILS)]}", [shown, *email])
    for i, name in enumerate(ACCENTED):  # names with accents after a cue
        add(INTROS[i % len(INTROS)].format(n=name), [name])
    for i, name in enumerate(ACCENTED[:5] + NAMES[:10]):  # names in small letters
        lower = name.lower()
        add(LOWER_INTROS[i % len(LOWER_INTROS)].format(n=lower), [lower])
    for i, name in enumerate(NAMES[:4]):  # names in capitals after "my name is"
        add(CAPS_INTROS[i % len(CAPS_INTROS)].format(N=name.upper()), [name.upper()])
    for text, address in ADDRESSES:
        add(text, [address])
    for i, code in enumerate(ODD_POSTCODES):
        add(POSTCODE_TEMPLATES[i % len(POSTCODE_TEMPLATES)].format(x=code), [code])
    for i, email in enumerate(OBFUSCATED_EMAILS):
        add(EMAIL_TEMPLATES[i % len(EMAIL_TEMPLATES)].format(x=email), [email])
    for i, phone in enumerate(ODD_PHONES):
        add(PHONE_TEMPLATES[i % len(PHONE_TEMPLATES)].format(x=phone), [phone])
    for i, number in enumerate(ODD_NI):
        add(NI_TEMPLATES[i % len(NI_TEMPLATES)].format(x=number), [number])
    for text, date in ODD_DOBS:
        add(text, [date])
    for text, name in TESTER:
        add(text, [name])
    for text, name in MID_SENTENCE:
        add(text, [name])
    for text, keep in NEAR_MISSES:
        add(text, [], keep)
    for i in range(10):  # whole letters mixing the new forms with ordinary words
        name = ACCENTED[i % len(ACCENTED)]
        text, address = ADDRESSES[i % len(ADDRESSES)]
        phone = ODD_PHONES[i % len(ODD_PHONES)]
        near, keep = NEAR_MISSES[i % len(NEAR_MISSES)]
        add(
            f"Hello,\n\nmy name is {name.lower()}. {text} Ring {phone}. {near}\n\n"
            f"Regards,\n{name}{TAILS[i % len(TAILS)]}",
            [name.lower(), address, phone, name],
            keep,
        )
    with OUT.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} cases written to {OUT}")


if __name__ == "__main__":
    main()
