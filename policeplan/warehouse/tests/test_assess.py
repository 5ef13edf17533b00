from policeplan.warehouse import assess, stats


def fig(kind, key, end, count, population=None):
    e = stats.rate(count, population) if population else stats.poisson_count(count)
    return assess.Figure(kind, key, end, e.value, e.lower, e.upper, count, population)


def survey(key, end, p, n=400):
    e = stats.wilson(p * n, n)
    return assess.Figure("rolling_12", key, end, e.value, e.lower, e.upper, p * n, n)


def test_a_significant_fall_in_crime_is_green_and_a_rise_red():
    figures = [
        fig("financial_year", "2022-23", "2023-03", 1200),
        fig("financial_year", "2023-24", "2024-03", 1000),
    ]
    result = assess.assess(figures, unit="count", direction="lower")
    assert result.latest.period_key == "2023-24" and result.year_before.period_key == "2022-23"
    assert result.rag == "green" and result.change.ratio < 1
    assert assess.assess(figures, unit="count", direction="higher").rag == "red"


def test_a_change_the_interval_cannot_tell_from_noise_is_amber():
    figures = [
        fig("financial_year", "2022-23", "2023-03", 12),
        fig("financial_year", "2023-24", "2024-03", 10),
    ]
    assert assess.assess(figures, unit="count", direction="lower").rag == "amber"


def test_survey_proportions_use_the_difference_and_its_interval():
    figures = [survey("R12-2022-12", "2022-12", 0.60), survey("R12-2023-12", "2023-12", 0.70)]
    result = assess.assess(figures, unit="percentage", direction="higher")
    assert result.rag == "green" and round(result.change.difference, 2) == 0.10
    close = [survey("R12-2022-12", "2022-12", 0.60), survey("R12-2023-12", "2023-12", 0.62)]
    assert assess.assess(close, unit="percentage", direction="higher").rag == "amber"


def test_context_measures_and_lone_figures_are_grey():
    figures = [fig("rolling_12", "R12-2024-06", "2024-06", 500)]
    assert assess.assess(figures, unit="count", direction="lower").rag == "grey"
    both = [fig("rolling_12", "R12-2023-06", "2023-06", 400), *figures]
    assert assess.assess(both, unit="count", direction="neither").rag == "grey"


def test_the_baseline_financial_year_is_found_as_a_rolling_year_ending_in_march():
    figures = [
        fig("rolling_12", "R12-2022-03", "2022-03", 900),
        fig("rolling_12", "R12-2024-06", "2024-06", 700),
        fig("rolling_12", "R12-2023-06", "2023-06", 800),
    ]
    result = assess.assess(figures, unit="count", direction="lower", baseline_period="2021-22")
    assert result.baseline.period_key == "R12-2022-03"
    assert result.change_from_baseline.significant and result.change_from_baseline.ratio < 1


def test_rates_compare_per_resident_not_raw_counts():
    figures = [
        fig("financial_year", "2022-23", "2023-03", 1000, 100_000),
        fig("financial_year", "2023-24", "2024-03", 1100, 110_000),
    ]
    result = assess.assess(figures, unit="rate_per_1000", direction="lower")
    assert round(result.change.ratio, 6) == 1.0 and result.rag == "amber"
