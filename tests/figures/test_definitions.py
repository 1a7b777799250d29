"""Every figure against a caseload computed by hand (no database).

The fixture: nine clients of one team, period 2026H1 (1 January - 30 June 2026), today
1 August 2027 (so the twelve-month follow-ups of the period have closed). Participation
categories: zorg and meedoen. Each expected number is derived in the comment next to it.

    A  intake 2025-03-01, benefit 2025-02-15; werkfit (2025-03-20) → meedoen (2026-02-10);
       sub ontwikkeling; exit 2026-05-01 "werk"
    B  intake 2026-02-01, benefit 2026-01-20; zorg from 2026-02-20 (no sub); exit 2026-10-01
       "werk" (254 days after the instroom date)
    C  intake 2026-03-01 (statushouder), benefit 2026-03-01; meedoen/maximaal from 2026-03-15;
       ontheffing medisch/volledig from 2026-04-01; traject 2026-05-01 - 2026-08-01
    D  intake 2020-01-10, benefit 2019-06-01; zorg/maximaal from 2020-02-01; f2f 2025-09-01;
       owned by Bram until 2026-08-01, then Anna
    E  intake 2021-05-01, benefit 2021-05-01; meedoen/ontwikkeling from 2021-05-20; f2f
       2025-05-01 and a phone call 2026-01-10; two ontheffingen, neither active on 30-06
    F  intake 2024-01-05, benefit 2024-01-01, werkfit/ontwikkeling; exit 2025-09-01
       "andere_inkomsten"; back (herinstroom) 2026-04-01, benefit 2026-04-01, zorg from 2026-04-15
    G  NUG intake 2025-11-01 (never in Bestand)
    H  intake 2024-06-01, no benefit start; meedoen from 2024-06-10 (no sub); exit 2026-01-15
       "onderwijs"
    I  intake 2023-02-01, benefit 2023-01-01; meedoen/ontwikkeling from 2023-02-15; huisbezoek
       on the peildatum 2026-06-30
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from bot.figures.rules import definitions as d
from bot.figures.rules.periods import parse_period
from bot.figures.rules.rows import (
    Caseload,
    CategoryChange,
    ClientEpisode,
    ContactRow,
    DeadlineRow,
    ExemptionRow,
    OwnerChange,
    PlacementRow,
    StaffRow,
    TagPeriod,
    TrajectRow,
    VacancyRow,
    category_spells,
)

TODAY = date(2027, 8, 1)
PARTICIPATION = {"zorg", "meedoen"}
A, B, C, D, E, F, G, H, I = range(1, 10)  # noqa: E741 (the clients of the docstring)
ANNA, BRAM = 10, 11


def ep(
    cid: int,
    first: str,
    benefit: str | None,
    *,
    exit_on: str | None = None,
    reason: str | None = None,
    back: bool = False,
    entitlement: str = "ja",
    tags: frozenset[str] = frozenset(),
) -> ClientEpisode:
    start = date.fromisoformat(benefit) if benefit else None
    first_day = date.fromisoformat(first)
    return ClientEpisode(
        client_id=cid,
        ref=f"REF-{cid}",
        instroom=start if start and entitlement == "ja" else first_day,
        first_conversation=first_day,
        entitlement=entitlement,
        benefit_start=start,
        herinstroom=back,
        exit_on=date.fromisoformat(exit_on) if exit_on else None,
        exit_reason=reason,
        intake_tags=tags,
    )


def cat(cid: int, on: str, field: str, old: str | None, new: str | None) -> CategoryChange:
    return CategoryChange(cid, date.fromisoformat(on), field, old, new)


def day(text: str) -> date:
    return date.fromisoformat(text)


def caseload() -> Caseload:
    episodes = [
        ep(A, "2025-03-01", "2025-02-15", exit_on="2026-05-01", reason="werk"),
        ep(B, "2026-02-01", "2026-01-20", exit_on="2026-10-01", reason="werk"),
        ep(C, "2026-03-01", "2026-03-01", tags=frozenset({"statushouder"})),
        ep(D, "2020-01-10", "2019-06-01"),
        ep(E, "2021-05-01", "2021-05-01"),
        ep(F, "2024-01-05", "2024-01-01", exit_on="2025-09-01", reason="andere_inkomsten"),
        ep(F, "2026-04-01", "2026-04-01", back=True),
        ep(G, "2025-11-01", None, entitlement="nug"),
        ep(H, "2024-06-01", None, exit_on="2026-01-15", reason="onderwijs"),
        ep(I, "2023-02-01", "2023-01-01"),
    ]
    categories = [
        cat(A, "2025-03-20", "category", None, "werkfit"),
        cat(A, "2025-03-20", "subcategory", None, "ontwikkeling"),
        cat(A, "2026-02-10", "category", "werkfit", "meedoen"),
        cat(B, "2026-02-20", "category", None, "zorg"),
        cat(C, "2026-03-15", "category", None, "meedoen"),
        cat(C, "2026-03-15", "subcategory", None, "maximaal"),
        cat(D, "2020-02-01", "category", None, "zorg"),
        cat(D, "2020-02-01", "subcategory", None, "maximaal"),
        cat(E, "2021-05-20", "category", None, "meedoen"),
        cat(E, "2021-05-20", "subcategory", None, "ontwikkeling"),
        cat(F, "2024-01-20", "category", None, "werkfit"),
        cat(F, "2024-01-20", "subcategory", None, "ontwikkeling"),
        cat(F, "2026-04-15", "category", "werkfit", "zorg"),
        cat(H, "2024-06-10", "category", None, "meedoen"),
        cat(I, "2023-02-15", "category", None, "meedoen"),
        cat(I, "2023-02-15", "subcategory", None, "ontwikkeling"),
    ]
    current = {
        A: ("meedoen", "ontwikkeling"),
        B: ("zorg", None),
        C: ("meedoen", "maximaal"),
        D: ("zorg", "maximaal"),
        E: ("meedoen", "ontwikkeling"),
        F: ("zorg", "ontwikkeling"),
        G: (None, None),
        H: ("meedoen", None),
        I: ("meedoen", "ontwikkeling"),
    }
    return Caseload(
        episodes=episodes,
        categories=categories,
        current=current,
        owners=[OwnerChange(D, day("2026-08-01"), BRAM, ANNA)],
        current_owner=dict.fromkeys(current, ANNA),
        staff=[
            StaffRow(ANNA, "Anna", frozenset({"consulent"})),
            StaffRow(BRAM, "Bram", frozenset({"consulent"})),
        ],
        exemptions=[
            ExemptionRow(C, "volledig", "medisch", day("2026-04-01"), None, None),
            ExemptionRow(
                E, "arbeidsplicht", "mantelzorg", day("2025-01-01"), day("2025-12-31"), None
            ),
            ExemptionRow(
                E, "volledig", "medisch", day("2026-01-01"), day("2026-12-31"), day("2026-03-01")
            ),
        ],
        contacts=[
            ContactRow(D, "face_to_face", day("2025-09-01"), "vrijwilligerswerk"),
            ContactRow(E, "face_to_face", day("2025-05-01"), "mantelzorg"),
            ContactRow(E, "telefonisch", day("2026-01-10"), "mantelzorg"),
            ContactRow(I, "huisbezoek", day("2026-06-30"), "vrijwilligerswerk"),
        ],
        deadlines=[
            DeadlineRow(C, "exemption_review", day("2026-04-10"), "done", day("2026-04-09"), 0),
            DeadlineRow(E, "exemption_review", day("2026-05-01"), "done", day("2026-05-01"), 1),
            DeadlineRow(D, "exemption_review", day("2026-06-01"), "done", day("2026-06-05"), 0),
            DeadlineRow(I, "exemption_review", day("2026-06-20"), "open", None, 0),
            DeadlineRow(I, "exemption_review", day("2026-07-05"), "open", None, 0),
            DeadlineRow(
                D, "participation_contact", day("2026-03-01"), "done", day("2026-02-28"), 0
            ),
        ],
        vacancies=[
            VacancyRow(1, day("2026-01-10"), "vervuld", day("2026-02-01"), "betaald_werk", A),
            VacancyRow(2, day("2025-12-01"), "vervallen", day("2026-01-05"), "werkstage", None),
            VacancyRow(3, day("2026-06-01"), "open", None, "werkstage", None),
            VacancyRow(4, day("2026-07-10"), "open", None, "werkstage", None),
        ],
        trajects=[
            TrajectRow(C, "werkstage", day("2026-05-01"), day("2026-08-01")),
            TrajectRow(B, "taalstage", day("2026-01-01"), day("2026-03-01")),
        ],
        exit_reasons=True,
    )


def ctx(load: Caseload | None = None, period: str = "2026H1", **kw: object) -> d.Context:
    return d.Context.of(
        load or caseload(),
        parse_period(period, TODAY),
        TODAY,
        PARTICIPATION,
        **kw,  # type: ignore[arg-type]  # a test passes only the keywords it varies
    )


def rows(figure: d.Figure) -> dict[object, tuple[object, ...]]:
    assert figure.missing is None, figure.missing
    return {row[0]: row[1:] for row in figure.rows}


def test_bestand_at_start_and_end_with_nug_apart() -> None:
    # 31-12-2025: A, D, E, H, I (F left 2025-09-01; B, C came later; G is NUG) = 5.
    # 30-06-2026: B, C, D, E, F (back 2026-04-01), I (A and H left in the period) = 6.
    # NUG: G on both days.
    got = rows(d.bestand(ctx()))
    assert got["persons"] == (5, 6)
    assert got["nug"] == (1, 1)


def test_uitkeringen_need_a_dossier_reference() -> None:
    figure = d.uitkeringen(ctx())
    assert figure.missing == d.NO_DOSSIER and figure.rows == ()


def test_per_category_at_start_and_end() -> None:
    # Start (31-12-2025): A werkfit/ontw, D zorg/max, E meedoen/ontw, H meedoen/-, I meedoen/ontw.
    # End (30-06-2026): B zorg/-, C meedoen/max, D zorg/max, E and I meedoen/ontw, F zorg/ontw.
    got = rows(d.per_category(ctx()))
    assert got["meedoen/ontwikkeling"][:2] == (2, 2)
    assert got["meedoen/maximaal"][:2] == (0, 1)
    assert got["meedoen/-"][:2] == (1, 0)
    assert got["werkfit/ontwikkeling"][:2] == (1, 0)
    assert got["zorg/maximaal"][:2] == (1, 1)
    assert got["zorg/ontwikkeling"][:2] == (0, 1)
    assert got["zorg/-"][:2] == (0, 1)
    assert got["total"] == (5, 6, 1.0)
    assert got["zorg/-"][2] == 1 / 6


def test_instroom_new_and_herinstroom_and_statushouders() -> None:
    # Intakes in 2026H1: B (02-01), C (03-01, statushouder), F again (04-01, herinstroom).
    got = rows(d.instroom(ctx()))
    assert got["new"][0] == 2
    assert got["herinstroom"] == (1, 1 / 3)
    assert got["total"][0] == 3
    assert got["status_holder"] == (1, 1 / 3)


def test_uitstroom_by_reason_and_its_target() -> None:
    # Exits in 2026H1: A (05-01, werk) and H (01-15, onderwijs); B leaves in October.
    figure = d.uitstroom(ctx())
    got = rows(figure)
    assert got["werk"] == (1, 0.5)
    assert got["onderwijs"] == (1, 0.5)
    assert got["total"][0] == 2
    # werk is 50 % of the exits: the 001:L423 target "> 40 %" is met.
    assert figure.target == "> 40 %" and figure.met is True


def test_uitstroom_without_reasons_is_not_computable() -> None:
    figure = d.uitstroom(ctx(replace(caseload(), exit_reasons=False)))
    assert figure.missing == d.NO_EXIT_REASON and figure.rows == ()
    # The exits themselves still count (from the status history).
    assert rows(d.exits_total(ctx(replace(caseload(), exit_reasons=False))))["total"] == (2,)


def test_doorstroom_matrix_has_first_classifications_and_exits() -> None:
    # Category events in 2026H1: B —→zorg (02-20), C —→meedoen (03-15), A werkfit→meedoen
    # (02-10), F werkfit→zorg (04-15). Exits by last category: A (meedoen on 05-01) and H
    # (meedoen since 2024) → meedoen→uit 2.
    figure = d.doorstroom(ctx())
    assert figure.columns == ("from_to", "meedoen", "zorg", "uit")
    assert figure.rows == (
        ("-", 1, 1, 0),
        ("meedoen", 0, 0, 2),
        ("werkfit", 1, 1, 0),
    )


def test_subcategory_moves_per_category() -> None:
    # Only C's first subcategory (— → maximaal, in meedoen that same day) falls in 2026H1.
    assert d.subcategory_moves(ctx()).rows == (("meedoen:->maximaal", 1),)


def test_back_to_work_within_twelve_months_cohort() -> None:
    # Cohort = intakes in 2026H1: B, C, F (herinstroom) = 3. B left for werk 254 days after its
    # instroom date (benefit start 2026-01-20 → 2026-10-01): 1 of 3 = 33 % ≥ 30 %.
    figure = d.back_to_work(ctx())
    got = rows(figure)
    assert got["cohort"][0] == 3
    assert got["to_work_12m"] == (1, 1 / 3)
    assert figure.target == "≥ 30 %" and figure.met is True
    assert figure.notes == ()


def test_back_to_work_counts_from_the_instroom_date_not_the_intake() -> None:
    # Move B's benefit start back to 2025-09-01: 395 days before its exit → no longer a hit,
    # 0 of 3 (the intake date 2026-02-01 would still be within 365 days).
    load = caseload()
    moved = [
        replace(e, instroom=day("2025-09-01"), benefit_start=day("2025-09-01"))
        if e.client_id == B
        else e
        for e in load.episodes
    ]
    figure = d.back_to_work(ctx(replace(load, episodes=moved)))
    assert rows(figure)["to_work_12m"] == (0, 0.0)
    assert figure.met is False


def test_back_to_work_is_provisional_until_a_year_after_the_period() -> None:
    early = d.Context.of(
        caseload(), parse_period("2026H1", TODAY), date(2026, 12, 1), PARTICIPATION
    )
    assert d.back_to_work(early).notes == ("provisional",)


def test_back_to_work_needs_exit_reasons() -> None:
    figure = d.back_to_work(ctx(replace(caseload(), exit_reasons=False)))
    assert figure.missing == d.NO_EXIT_REASON and figure.target == "≥ 30 %"


def test_longer_than_four_years_on_benefit() -> None:
    # Bestand(30-06-2026): B (0.4 y), C (0.3 y), F (0.2 y), I (3.5 y), E (5.2 y), D (7.1 y).
    # Over four years: D and E = 2 of 6 = 33 % > 25 %: target not met.
    figure = d.long_on_benefit(ctx())
    got = rows(figure)
    assert got["over_4_years"] == (2, 2 / 6)
    assert figure.met is False
    assert got["years_0_1"][0] == 3
    assert got["years_3_4"][0] == 1
    assert got["years_5_6"][0] == 1
    assert got["years_6_plus"][0] == 1
    assert got["years_4_5"][0] == 0
    assert got["unknown_start"][0] == 0


def test_registration_coverage() -> None:
    # Bestand 6; all but B have a subcategory: 5/6. Open traject on 30-06: C only (B's ended).
    got = rows(d.registration(ctx()))
    assert got["category_and_sub"] == (5, 5 / 6)
    assert got["open_traject"] == (1, 1 / 6)


def test_ontheffingen_share_reasons_scopes_and_reviews() -> None:
    # Active on 30-06: C's (E's first ended 2025-12-31, the second was ended 2026-03-01):
    # 1 of 6. Reviews due in 2026H1: C on time, E on time after a postponement, D late,
    # I open past due (I's second is due in July) = 4: 2 on time, 1 postponed, 1 late, 1 overdue.
    got = rows(d.ontheffingen(ctx()))
    assert got["clients_with"] == (1, 1 / 6)
    assert got["reason:medisch"] == (1, 1.0)
    assert got["scope:volledig"] == (1, 1.0)
    assert got["review_due"][0] == 4
    assert got["review_on_time"] == (2, 0.5)
    assert got["review_postponed_on_time"] == (1, 0.25)
    assert got["review_late"] == (1, 0.25)
    assert got["review_overdue"] == (1, 0.25)


def test_on_time_counts_every_deadline_due_in_the_period() -> None:
    # The four reviews plus D's contact (done a day early) = 5; 3 on time.
    got = rows(d.on_time(ctx()))
    assert got["all_due"][0] == 5
    assert got["all_on_time"] == (3, 0.6)


def test_contact_coverage_with_clients_inside_their_first_year() -> None:
    # In participation on 30-06-2026: B (zorg since 02-20), C (meedoen since 03-15), F (zorg
    # since 04-15) are inside their first year; D (since 2020), E (since 2021), I (since 2023)
    # are in scope. D's f2f 2025-09-01 and I's huisbezoek on the day itself count; E's f2f is
    # older than a year and the phone call is no face-to-face: 2 of 3 covered.
    got = rows(d.contact_coverage(ctx()))
    assert got["in_scope"][0] == 3
    assert got["covered"] == (2, 2 / 3)
    assert got["not_covered"] == (1, 1 / 3)
    assert got["first_due"][0] == 3
    assert got["first_overdue"][0] == 0


def test_first_contact_overdue_after_the_configured_months() -> None:
    # With the first contact due three months after entering: B (05-20) and C (06-15) are
    # overdue on 30-06, F (07-15) is still due.
    got = rows(d.contact_coverage(ctx(first_contact_months=3)))
    assert got["first_due"][0] == 1
    assert got["first_overdue"][0] == 2


def test_herinstroom_within_twelve_months() -> None:
    # 2025: one exit (F, 2025-09-01), back 2026-04-01 = 212 days later: 1 of 1.
    got = rows(d.herinstroom(ctx(period="2025")))
    assert got["exits"][0] == 1
    assert got["back_within_12m"] == (1, 1.0)
    # 2026H1: A and H left and did not come back; of the three intakes one is herinstroom.
    got = rows(d.herinstroom(ctx()))
    assert got["back_within_12m"] == (0, 0.0)
    assert got["instroom_herinstroom"] == (1, 1 / 3)


def test_exits_by_prior_benefit_duration() -> None:
    # A: 2025-02-15 → 2026-05-01 is 14.5 months (1-1.5 years); H has no benefit start.
    got = rows(d.exit_by_duration(ctx()))
    assert got["months_12_18"] == (1,)
    assert got["unknown_start"] == (1,)
    assert sum(v[0] for v in got.values()) == 2


def test_caseload_per_owner_on_the_peildatum() -> None:
    # D belonged to Bram until 2026-08-01: on 30-06 Bram has D (zorg), Anna the other five.
    figure = d.caseload_per_owner(ctx())
    assert figure.columns == ("owner", "total", "cat:meedoen", "cat:zorg")
    assert figure.rows == (("Anna", 5, 3, 2), ("Bram", 1, 0, 1))


def test_vacatures_opened_filled_expired() -> None:
    # Opened in 2026H1: 1 and 3; filled 1 (02-01); expired 2 (01-05); open on 30-06: 3 only.
    got = rows(d.vacatures(ctx()))
    assert got == {"opened": (2,), "filled": (1,), "expired": (1,), "open_at_end": (1,)}


def test_nug() -> None:
    got = rows(d.nug_and_youth(ctx()))
    # G is an active NUG client; its intake (2025-11-01) is before 2026H1.
    assert got == {"nug_active": (1,), "nug_intakes": (0,)}


def test_placements_need_the_placements_table() -> None:
    assert d.placements(ctx()).missing == d.NO_PLACEMENTS
    load = replace(
        caseload(),
        placements=[
            PlacementRow(A, "dienstverband_parttime", day("2026-04-20"), 20, True),
            PlacementRow(B, "werkstage", day("2026-07-01"), 16, False),
        ],
    )
    # Only A's placement starts in 2026H1.
    assert rows(d.placements(ctx(load))) == {
        "dienstverband_parttime": (1,),
        "with_lks": (1,),
        "total": (1,),
    }


def test_doelgroep_counts_need_the_tag_history() -> None:
    assert d.per_tag(ctx()).missing == d.NO_TAG_HISTORY
    load = replace(
        caseload(),
        tag_periods=[
            TagPeriod(C, "statushouder", day("2026-03-01"), None),
            # Removed before the peildatum: not counted.
            TagPeriod(D, "statushouder", day("2020-01-10"), day("2026-01-01")),
        ],
    )
    assert rows(d.per_tag(ctx(load))) == {"statushouder": (1, 1 / 6)}


def test_traject_success_needs_outcomes() -> None:
    assert d.traject_success(ctx()).missing == d.NO_TRAJECT_OUTCOME
    load = replace(
        caseload(),
        traject_outcomes=True,
        trajects=[
            TrajectRow(C, "werkstage", day("2026-01-01"), day("2026-03-01"), "afgerond"),
            TrajectRow(B, "werkstage", day("2026-02-01"), day("2026-04-01"), "gestopt"),
        ],
    )
    # Columns: afgerond, gestopt, no outcome, ended, share afgerond, extensions 0 / 1 / 2+.
    assert rows(d.traject_success(ctx(load))) == {"werkstage": (1, 1, 0, 2, 0.5, 2, 0, 0)}


def test_traject_success_counts_a_traject_past_its_end_without_outcome_and_extensions() -> None:
    load = replace(
        caseload(),
        traject_outcomes=True,
        trajects=[
            TrajectRow(C, "werkstage", day("2026-01-01"), day("2026-03-01"), "afgerond", 2),
            TrajectRow(B, "werkstage", day("2026-02-01"), day("2026-04-01"), None, 1),
            # Ends after the period: not counted.
            TrajectRow(D, "werkstage", day("2026-02-01"), day("2026-08-01"), "afgerond"),
        ],
    )
    assert rows(d.traject_success(ctx(load))) == {"werkstage": (1, 0, 1, 2, 0.5, 0, 1, 1)}


def test_ontheffing_share_counts_only_the_scopes_the_profile_counts() -> None:
    # C's active ontheffing is of scope volledig: counted when volledig counts, not otherwise;
    # the breakdown by scope still shows it.
    assert rows(d.ontheffingen(ctx(share_scopes={"volledig"})))["clients_with"] == (1, 1 / 6)
    got = rows(d.ontheffingen(ctx(share_scopes={"arbeidsplicht"})))
    assert got["clients_with"] == (0, 0.0)
    assert got["scope:volledig"] == (1, 1.0)
    june = d.monthly(ctx(share_scopes={"arbeidsplicht"}), day("2026-06-01"), day("2026-06-30"))
    assert june[-1].exemption_share == 0.0


def test_beschut_counts_the_tag_on_the_peildatum_and_garantiebanen() -> None:
    assert d.beschut(ctx()).missing == d.NO_TAG_HISTORY
    load = replace(
        caseload(),
        tag_periods=[
            TagPeriod(C, "beschut_werk", day("2026-03-01"), None),
            TagPeriod(D, "beschut_werk", day("2025-03-01"), day("2026-05-01")),
        ],
        placements=[
            PlacementRow(C, "garantiebaan", day("2026-05-01"), 20, False),
            PlacementRow(D, "garantiebaan", day("2025-05-01"), 20, False),
        ],
    )
    assert rows(d.beschut(ctx(load))) == {"sheltered_active": (1,), "guarantee_jobs": (1,)}


def test_a_profile_list_comes_first_with_its_names_and_targets() -> None:
    scheme = d.Scheme(
        "midden_drenthe",
        (d.Headline("M2", "Aandeel per doelgroep"), d.Headline("M11", "Casuïstiek", "≥ 1")),
    )
    figures = d.compute(ctx(), scheme)
    assert [f.code for f in figures[:2]] == ["M2", "M11"]
    assert figures[0].title == "Aandeel per doelgroep" and figures[1].target == "≥ 1"
    assert figures[1].missing == d.NO_MEETING_RECORD
    # per_tag is shown once, as M2; the rest of the base list follows.
    assert [f.key for f in figures].count("per_tag") == 1
    assert "D9" in [f.code for f in figures]


def test_every_figure_of_every_list_computes_or_says_why_not() -> None:
    for scheme in d.LISTS:
        for figure in d.compute(ctx(), scheme):
            assert figure.missing is not None or figure.columns, figure.code


def test_monthly_series_for_the_charts() -> None:
    points = d.monthly(ctx(), day("2026-01-01"), day("2026-06-30"))
    assert [p.month.month for p in points] == [1, 2, 3, 4, 5, 6]
    # June: the peildatum counts of the other tests.
    june = points[-1]
    assert june.per_category == {"zorg": 3, "meedoen": 3}
    assert june.exemption_share == 1 / 6
    assert june.contact_coverage == 2 / 3


def test_category_spells_start_from_the_first_old_value() -> None:
    spells = category_spells(
        [cat(A, "2026-02-10", "category", "werkfit", "meedoen")], {A: ("meedoen", "x")}
    )[A]
    assert [(s.category, s.start, s.end) for s in spells] == [
        ("werkfit", date.min, day("2026-02-10")),
        ("meedoen", day("2026-02-10"), None),
    ]


# --- S9, M6, V10 (each on its own small caseload) ----------------------------------------------


def small(
    episodes: list[ClientEpisode],
    categories: list[CategoryChange],
    **kw: object,
) -> Caseload:
    """A caseload of only these rows (current category: each client's last category event)."""
    current: dict[int, tuple[str | None, str | None]] = {
        e.client_id: (None, None) for e in episodes
    }
    for change in sorted(categories, key=lambda c: c.on):
        if change.field == "category":
            current[change.client_id] = (change.new, None)
    fields: dict[str, object] = {
        "episodes": episodes,
        "categories": categories,
        "current": current,
        "owners": [],
        "current_owner": {},
        "staff": [],
        "exemptions": [],
        "contacts": [],
        "deadlines": [],
        "vacancies": [],
        "trajects": [],
        "exit_reasons": True,
    }
    fields.update(kw)
    return Caseload(**fields)  # type: ignore[arg-type]  # fields of mixed types, by name


def direct_work_load() -> Caseload:
    """Steenwijkerland-like. P = 2026H1: the cohort enters direct_werk in 2025-07-01 - 2025-12-31.

    1  direct_werk 2025-07-10 (first classification); exit werk 2025-12-01 (144 days)
    2  direct_werk 2025-08-05; → geplaatst 2026-01-20 (168 days)
    3  werken_ervaren 2025-05-10 → direct_werk 2025-09-01; exit werk 2026-03-15 (195 days)
    4  direct_werk 2025-06-20 (before the window); exit werk 2025-08-01
    5  direct_werk 2026-01-05 (after the window)
    6  direct_werk 2025-10-01; exit onderwijs 2025-11-01
    7  direct_werk 2025-11-01 → werken_ervaren 2025-12-01 → geplaatst 2026-06-01 (212 days)
    8  direct_werk 2025-12-31 → geplaatst 2026-07-02 (exactly 183 days)
    """
    episodes = [
        ep(1, "2025-06-01", "2025-06-01", exit_on="2025-12-01", reason="werk"),
        ep(2, "2025-08-01", "2025-08-01"),
        ep(3, "2025-05-01", "2025-05-01", exit_on="2026-03-15", reason="werk"),
        ep(4, "2025-06-01", "2025-06-01", exit_on="2025-08-01", reason="werk"),
        ep(5, "2026-01-01", "2026-01-01"),
        ep(6, "2025-09-15", "2025-09-15", exit_on="2025-11-01", reason="onderwijs"),
        ep(7, "2025-10-15", "2025-10-15"),
        ep(8, "2025-12-15", "2025-12-15"),
    ]
    categories = [
        cat(1, "2025-07-10", "category", None, "direct_werk"),
        cat(2, "2025-08-05", "category", None, "direct_werk"),
        cat(2, "2026-01-20", "category", "direct_werk", "geplaatst"),
        cat(3, "2025-05-10", "category", None, "werken_ervaren"),
        cat(3, "2025-09-01", "category", "werken_ervaren", "direct_werk"),
        cat(4, "2025-06-20", "category", None, "direct_werk"),
        cat(5, "2026-01-05", "category", None, "direct_werk"),
        cat(6, "2025-10-01", "category", None, "direct_werk"),
        cat(7, "2025-11-01", "category", None, "direct_werk"),
        cat(7, "2025-12-01", "category", "direct_werk", "werken_ervaren"),
        cat(7, "2026-06-01", "category", "werken_ervaren", "geplaatst"),
        cat(8, "2025-12-31", "category", None, "direct_werk"),
        cat(8, "2026-07-02", "category", "direct_werk", "geplaatst"),
    ]
    return small(episodes, categories)


DIRECT = {"direct_work": {"direct_werk"}, "placed": {"geplaatst"}}


def test_direct_work_placed_within_six_months() -> None:
    # Cohort (entries into direct_werk in 2025-07-01 - 2025-12-31): 1, 2, 3, 6, 7, 8 = 6 (4 came
    # before, 5 after the window). Exit werk within 183 days: 1 (144 days); 3 (195) is too late
    # and 6 left for onderwijs. To geplaatst within 183 days: 2 (168), 8 (183 days, the last day
    # counts); 7 (212) too late. Together 3 of 6 = 50 %.
    figure = d.direct_work_placed(ctx(direct_work_load(), **DIRECT))
    got = rows(figure)
    assert got["direct_work_cohort"] == (6, None)
    assert got["to_work_183d"] == (1, 1 / 6)
    assert got["to_placed_183d"] == (2, 2 / 6)
    assert got["within_183d"] == (3, 0.5)
    # 183 days after the window's end (2026-07-02) lie before today (2027-08-01): final.
    assert figure.notes == ()


def test_direct_work_placed_is_provisional_and_needs_its_category_and_reasons() -> None:
    early = d.Context.of(
        direct_work_load(),
        parse_period("2026H1", TODAY),
        date(2026, 7, 1),
        PARTICIPATION,
        direct_work={"direct_werk"},
        placed={"geplaatst"},
    )
    # 2025-12-31 + 183 days = 2026-07-02, after 2026-07-01.
    assert d.direct_work_placed(early).notes == ("provisional_183d",)
    assert d.direct_work_placed(ctx(direct_work_load())).missing == d.NO_DIRECT_WORK
    no_reasons = replace(direct_work_load(), exit_reasons=False)
    assert d.direct_work_placed(ctx(no_reasons, **DIRECT)).missing == d.NO_EXIT_REASON


def test_exemption_contact_yearly() -> None:
    # Peildatum 2026-06-30; the 12 months before it: 2025-07-01 - 2026-06-30.
    #  1  ontheffing since 2025-01-01; phone contact 2025-09-01             → contacted
    #  2  ontheffing since 2024-03-01; f2f 2025-06-30 (just outside)        → not contacted
    #  3  ontheffing since 2025-02-01; no contact row, yearly ontheffing contact done 2026-01-25
    #                                                                        → contacted
    #  4  ontheffing ended early 2026-03-01; contact 2026-05-01             → not exempt on d
    #  5  ontheffing, but left 2026-05-01                                   → not in Bestand(d)
    #  6  ontheffing since 2025-06-01; huisbezoek on the peildatum          → contacted
    # Exempt in Bestand(d): 1, 2, 3, 6 = 4; contacted 3 = 75 %; not contacted 1 = 25 %.
    # Yearly contacts due in 2026H1: 3 (02-01, done 01-25: on time), 5 (03-01, done 03-20: late),
    # 6 (06-15, open: overdue); 1's (09-01) falls after P, 2's ontheffing review is another kind.
    episodes = [ep(c, "2024-01-01", "2024-01-01") for c in (1, 2, 3, 4, 6)]
    episodes.append(ep(5, "2024-01-01", "2024-01-01", exit_on="2026-05-01", reason="werk"))
    load = small(
        episodes,
        [],
        exemptions=[
            ExemptionRow(1, "volledig", "medisch", day("2025-01-01"), None, None),
            ExemptionRow(2, "volledig", "medisch", day("2024-03-01"), None, None),
            ExemptionRow(3, "arbeidsplicht", "medisch", day("2025-02-01"), None, None),
            ExemptionRow(4, "volledig", "medisch", day("2025-01-01"), None, day("2026-03-01")),
            ExemptionRow(5, "volledig", "medisch", day("2025-01-01"), None, None),
            ExemptionRow(6, "volledig", "medisch", day("2025-06-01"), None, None),
        ],
        contacts=[
            ContactRow(1, "telefonisch", day("2025-09-01"), "tijdelijk_niet"),
            ContactRow(2, "face_to_face", day("2025-06-30"), "tijdelijk_niet"),
            ContactRow(4, "face_to_face", day("2026-05-01"), "tijdelijk_niet"),
            ContactRow(6, "huisbezoek", day("2026-06-30"), "tijdelijk_niet"),
        ],
        deadlines=[
            DeadlineRow(3, "exemption_contact", day("2026-02-01"), "done", day("2026-01-25"), 0),
            DeadlineRow(5, "exemption_contact", day("2026-03-01"), "done", day("2026-03-20"), 0),
            DeadlineRow(6, "exemption_contact", day("2026-06-15"), "open", None, 0),
            DeadlineRow(1, "exemption_contact", day("2026-09-01"), "open", None, 0),
            DeadlineRow(2, "exemption_review", day("2026-04-01"), "done", day("2026-04-01"), 0),
        ],
    )
    got = rows(d.exemption_contact(ctx(load)))
    assert got["exempt_clients"] == (4, None)
    assert got["contacted_12m"] == (3, 0.75)
    assert got["not_contacted_12m"] == (1, 0.25)
    assert got["contact_due"] == (3, None)
    assert got["contact_on_time"] == (1, 1 / 3)
    assert got["contact_late"] == (1, 1 / 3)
    assert got["contact_overdue"] == (1, 1 / 3)


ROUTE = d.CappedRoute("ontwikkelroute", 24, "participatie", frozenset({"categorie_2b"}))


def route_load() -> Caseload:
    """004-like, P = 2026H1: routes started 2024-01-01 - 2024-06-30 reach 24 months in P.

    Every client intake 2023-12-01, re_integratie from 2023-12-10 unless said.
    1  route 2024-01-15; exit werk 2025-10-01 (before the maximum)
    2  route 2024-02-01; exit onderwijs 2026-02-20 (maximum 02-01, + 31 days = 03-04)
    3  route 2024-03-01; → participatie 2026-03-10 (within 31 days of the maximum)
    4  route 2024-04-01; categorie_2b since 2023-12-10 (the handover does not apply)
    5  route 2024-05-01; still re_integratie
    6  route 2024-06-01; exit andere_reden 2026-06-15
    7  route 2024-08-01 (maximum 2026-08-01, after P)
    8  an academie traject 2024-02-01 (not a capped route)
    9  route 2024-03-15; → participatie 2026-05-01 (maximum 03-15, + 31 days = 04-15: too late)
    """
    exits = {
        1: ("2025-10-01", "werk"),
        2: ("2026-02-20", "onderwijs"),
        6: ("2026-06-15", "andere_reden"),
    }
    episodes = []
    for c in range(1, 10):
        exit_on, reason = exits.get(c, (None, None))
        episodes.append(ep(c, "2023-12-01", "2023-12-01", exit_on=exit_on, reason=reason))
    categories = [
        cat(c, "2023-12-10", "category", None, "categorie_2b" if c == 4 else "re_integratie")
        for c in range(1, 10)
    ]
    categories.append(cat(3, "2026-03-10", "category", "re_integratie", "participatie"))
    categories.append(cat(9, "2026-05-01", "category", "re_integratie", "participatie"))
    starts = {
        1: "2024-01-15",
        2: "2024-02-01",
        3: "2024-03-01",
        4: "2024-04-01",
        5: "2024-05-01",
        6: "2024-06-01",
        7: "2024-08-01",
        9: "2024-03-15",
    }
    trajects = [TrajectRow(c, "ontwikkelroute", day(s), None) for c, s in starts.items()]
    trajects.append(TrajectRow(8, "academie", day("2024-02-01"), day("2024-03-15")))
    return small(episodes, categories, trajects=trajects)


def test_ontwikkelroute_results_at_the_maximum() -> None:
    # Routes reaching 24 months in 2026H1: 1, 2, 3, 4, 5, 6, 9 = 7 (7 reaches it in August, 8 is
    # another instrument). To werk 1 (client 1), onderwijs 1 (2), other exit 1 (6), handed over 1
    # (3), handover not applicable 1 (4, categorie_2b), no decision 2 (5, and 9 handed over 47
    # days after the maximum).
    figure = d.ontwikkelroute(ctx(route_load(), capped_routes=[ROUTE]))
    got = rows(figure)
    assert got["routes_at_max"] == (7, None)
    assert got["to_work"] == (1, 1 / 7)
    assert got["to_education"] == (1, 1 / 7)
    assert got["other_exit"] == (1, 1 / 7)
    assert got["handed_over"] == (1, 1 / 7)
    assert got["exempt"] == (1, 1 / 7)
    assert got["no_decision"] == (2, 2 / 7)
    assert figure.notes == ()


def test_ontwikkelroute_is_provisional_and_needs_a_route_and_reasons() -> None:
    early = d.Context.of(
        route_load(),
        parse_period("2026H1", TODAY),
        date(2026, 7, 15),
        PARTICIPATION,
        capped_routes=[ROUTE],
    )
    assert d.ontwikkelroute(early).notes == ("provisional_handover",)
    assert d.ontwikkelroute(ctx(route_load())).missing == d.NO_CAPPED_ROUTE
    no_reasons = replace(route_load(), exit_reasons=False)
    assert d.ontwikkelroute(ctx(no_reasons, capped_routes=[ROUTE])).missing == d.NO_EXIT_REASON


def test_the_profiles_give_the_three_figures_their_categories_and_routes() -> None:
    from bot import profiles
    from bot.profiles.meaning import capped_routes, direct_work_categories

    assert direct_work_categories(profiles.load("steenwijkerland")) == {"direct_werk"}
    routes = capped_routes(profiles.load("voorschoten-leidschendam-voorburg-wassenaar"))
    assert routes == (("ontwikkelroute", 24, "participatie", frozenset({"categorie_2b"})),)
    assert d.BY_KEY["S9"] is d.direct_work_placed
    assert d.BY_KEY["M6"] is d.exemption_contact
    assert d.BY_KEY["V10"] is d.ontwikkelroute
