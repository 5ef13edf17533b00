from policeplan.core.csvsafe import safe_cell, to_csv


def test_text_a_spreadsheet_would_run_is_neutralised_and_numbers_are_not():
    assert safe_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert (
        safe_cell("+1") == "'+1"
        and safe_cell("@SUM(A1)") == "'@SUM(A1)"
        and safe_cell("-2+3") == "'-2+3"
    )
    assert safe_cell(-1.5) == -1.5 and safe_cell("Barnet") == "Barnet"
    assert to_csv(["a"], [["=1+1"]]) == "a\r\n'=1+1\r\n"
