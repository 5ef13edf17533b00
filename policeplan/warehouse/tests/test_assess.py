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
    result = assess.assess(figures, statistic="count", direction="lower")
    assert result.latest.period_key == "2023-24" and result.year_before.period_key == "2022-23"
    assert result.rag == "green" and result.change.ratio < 1
    assert assess.assess(figures, statistic="count", direction="higher").rag == "red"


def test_a_change_the_interval_cannot_tell_from_noise_is_amber():
    figures = [
        fig("financial_year", "2022-23", "2023-03", 12),
        fig("financial_year", "2023-24", "2024-03", 10),
    ]
    assert assess.assess(figures, statistic="count", direction="lower").rag == "amber"


def test_survey_proportions_use_the_difference_and_its_interval():
    figures = [survey("R12-2022-12", "2022-12", 0.60), survey("R12-2023-12", "2023-12", 0.70)]
    result = assess.assess(figures, statistic="proportion", direction="higher")
    assert result.rag == "green" and round(result.change.difference, 2) == 0.10
    close = [survey("R12-2022-12", "2022-12", 0.60), survey("R12-2023-12", "2023-12", 0.62)]
    assert assess.assess(close, statistic="proportion", direction="higher").rag == "amber"


def test_context_measures_are_grey_and_lone_figures_cannot_be_assessed_yet():
    figures = [fig("rolling_12", "R12-2024-06", "2024-06", 500)]
    lone = assess.assess(figures, statistic="count", direction="lower")
    assert lone.rag == "none" and lone.rule == "change"
    assert lone.reason == "There is no figure for the same period last year to compare with."
    both = [fig("rolling_12", "R12-2023-06", "2023-06", 400), *figures]
    context = assess.assess(both, statistic="count", direction="neither")
    assert context.rag == "grey" and context.rule == "context"
    nothing = assess.assess([], statistic="count", direction="lower")
    assert nothing.rag == "none" and nothing.reason == "There are no figures yet."


def test_the_baseline_financial_year_is_found_as_a_rolling_year_ending_in_march():
    figures = [
        fig("rolling_12", "R12-2022-03", "2022-03", 900),
        fig("rolling_12", "R12-2024-06", "2024-06", 700),
        fig("rolling_12", "R12-2023-06", "2023-06", 800),
    ]
    result = assess.assess(figures, statistic="count", direction="lower", baseline_period="2021-22")
    assert result.baseline.period_key == "R12-2022-03"
    assert result.change_from_baseline.significant and result.change_from_baseline.ratio < 1


def test_rates_compare_per_resident_not_raw_counts():
    figures = [
        fig("financial_year", "2022-23", "2023-03", 1000, 100_000),
        fig("financial_year", "2023-24", "2024-03", 1100, 110_000),
    ]
    result = assess.assess(figures, statistic="count", direction="lower")
    assert round(result.change.ratio, 6) == 1.0 and result.rag == "amber"


def test_a_target_level_decides_the_status_by_the_figures_interval():
    met = [survey("R12-2024-03", "2024-03", 0.78)]
    short = [survey("R12-2024-03", "2024-03", 0.73)]
    far = [survey("R12-2024-03", "2024-03", 0.60)]
    target = assess.Target("level", 0.75)
    kwargs = {"statistic": "proportion", "direction": "higher", "target": target}
    assert assess.assess(met, **kwargs).rag == "green"
    result = assess.assess(short, **kwargs)  # 73% on 400 people: 68.4% to 77.1% includes 75%
    assert result.rag == "amber" and result.target_level == 0.75
    assert "within its 95% interval" in result.reason
    assert assess.assess(far, **kwargs).rag == "red"


def test_a_target_change_is_measured_from_the_baseline():
    figures = [
        fig("financial_year", "2021-22", "2022-03", 1000),
        fig("financial_year", "2023-24", "2024-03", 890),
    ]
    target = assess.Target("change", -10)  # a 10% reduction: 900 or fewer
    result = assess.assess(
        figures, statistic="count", direction="lower", baseline_period="2021-22", target=target
    )
    assert result.target_level == 900 and result.rag == "green"
    figures[1] = fig("financial_year", "2023-24", "2024-03", 1100)
    result = assess.assess(
        figures, statistic="count", direction="lower", baseline_period="2021-22", target=target
    )
    assert result.rag == "red" and result.reason == "It is significantly short of its target."


def test_a_change_target_without_its_baseline_figure_cannot_be_assessed_yet():
    """It never falls back to the change since last year (here a significant fall, which
    would have been green) without saying so."""
    figures = [
        fig("financial_year", "2022-23", "2023-03", 1200),
        fig("financial_year", "2023-24", "2024-03", 1000),
    ]

    def with_baseline(baseline: str, kind: str = "change") -> assess.Assessment:
        return assess.assess(
            figures,
            statistic="count",
            direction="lower",
            baseline_period=baseline,
            target=assess.Target(kind, -50),
        )

    before = with_baseline("2019-20")
    assert before.target_level is None and before.rag == "none" and before.rule == "baseline"
    assert before.reason == (
        "Its target is a change from the baseline (2019-20), which is before these figures "
        "start (2022-23)."
    )
    assert with_baseline("").reason == (
        "Its target is a change from a baseline, but no baseline period is set."
    )
    gap = [fig("financial_year", "2020-21", "2021-03", 1300), *figures]
    missing = assess.assess(
        gap,
        statistic="count",
        direction="lower",
        baseline_period="2021-22",
        target=assess.Target("change", -50),
    )
    assert missing.rag == "none"
    assert missing.reason == (
        "Its target is a change from the baseline (2021-22), and there is no figure for it."
    )
    found = with_baseline("2022-23")
    assert found.rule == "baseline" and found.target_level == 600 and found.rag == "red"


def test_the_long_term_trend_goes_back_five_years_where_the_figures_reach():
    figures = [fig("financial_year", f"{y}-{str(y + 1)[2:]}", f"{y + 1}-03", 1000 - 40 * (y - 2016))
               for y in range(2016, 2024)]  # fmt: skip
    result = assess.assess(figures, statistic="count", direction="lower")
    assert result.long_term_years == 5 and result.long_term.period_key == "2018-19"
    assert result.long_term_change.ratio == (1000 - 40 * 7) / (1000 - 40 * 2)
    assert result.long_term_change.significant
    # Only three years back: the trend says so.
    result = assess.assess(figures[-4:], statistic="count", direction="lower")
    assert result.long_term_years == 3 and result.long_term.period_key == "2020-21"
    assert assess.assess(figures[-3:], statistic="count", direction="lower").long_term is None
