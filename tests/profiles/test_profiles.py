"""Municipality profiles: loading, cites, meaning, validation at start, team overrides."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot import profiles
from bot.cli import main
from bot.config import ConfigError, parse_config
from bot.profiles import loader, meaning
from bot.profiles.model import Towards
from bot.route.traject_rules import ABSOLUTE_MAX_MONTHS
from bot.settings import resolve

RULE_KEYS = (
    "counts_as",
    "owner_role",
    "lb_appointment",
    "handover_to",
    "participation_contact",
    "first_contact_months",
    "review_months",
    "step_months",
    "max_extensions",
    "max_months",
    "on_max_handover_to",
    "on_max_exempt",
    "suits",
    "contact_owner",
    "counts_in_share",
    "cadence",
    "every_weeks",
    "shared_vacancies",
    "due_months",
    "every_months",
    "branches",
)
CITE = re.compile(r"#.*(\d{3}:L\d+|no seed: product default)")


@pytest.mark.parametrize("name", profiles.names())
def test_every_rule_carries_a_seed_cite_or_says_no_seed(name: str) -> None:
    text = (loader.FOLDER / f"{name}.toml").read_text(encoding="utf-8")
    missing = [
        line
        for line in text.splitlines()
        if re.match(rf"\s*({'|'.join(RULE_KEYS)})\s*=", line) and not CITE.search(line)
    ]
    assert missing == []


def test_the_four_source_municipalities_ship_and_dalfsen_is_the_default() -> None:
    assert profiles.names() == (
        "dalfsen",
        "midden-drenthe",
        "steenwijkerland",
        "voorschoten-leidschendam-voorburg-wassenaar",
    )
    assert profiles.default().name == "dalfsen"


def test_meaning_replaces_the_codes() -> None:
    dalfsen = profiles.shipped("dalfsen")
    assert meaning.lb_categories(dalfsen) == {"meedoen", "werkfit"}
    assert meaning.handover_categories(dalfsen) == {"werkfit"}
    assert meaning.participation_categories(dalfsen) == {"zorg", "meedoen"}
    assert meaning.candidate_categories(dalfsen, "betaald_werk") == {"werkfit"}
    assert meaning.candidate_categories(dalfsen, "vrijwilligerswerk") == {"meedoen"}
    steenwijk = profiles.shipped("steenwijkerland")
    assert meaning.counts_as(steenwijk, "werkvoorzienend") is Towards.SHELTERED
    assert meaning.contact_rhythm(steenwijk)["leren_ontwikkelen"] == (24, 24)
    assert meaning.contact_rhythm(steenwijk)["zorg"] == (12, 12)
    assert meaning.candidate_categories(steenwijk, "betaald_werk") == {
        "direct_werk",
        "werken_ervaren",
    }
    md = profiles.shipped("midden-drenthe")
    assert meaning.owner_role_for(md, "exemption_contact") == "consulent_werk"  # 003:L367
    assert meaning.scopes_in_share(md) == {"volledig", "arbeidsplicht"}  # 003:L678
    stark = md.instrument("stark_traject")
    assert stark is not None and (stark.step_months, stark.max_extensions) == (3, 2)
    vlw = profiles.shipped("voorschoten-leidschendam-voorburg-wassenaar")
    assert meaning.owner_role_for(vlw, "participation_contact") == "inkomensconsulent"  # L338
    route = vlw.instrument("ontwikkelroute")
    assert route is not None and route.max_months == 24
    assert route.on_max_handover_to == "participatie" and route.on_max_exempt == ("categorie_2b",)
    assert meaning.subcategories_of(vlw, "categorie_2b") == ("2b",)
    assert vlw.shared_vacancies and not dalfsen.shared_vacancies
    assert [r.code for r in vlw.exit_reasons] != [r.code for r in dalfsen.exit_reasons]
    assert {f.key for f in dalfsen.figures} >= {"D4", "D5"}


def _config(team: dict[str, object]) -> dict[str, object]:
    return {"teams": [{"name": "Team Werk", **team}]}


def test_a_team_picks_its_profile_and_gets_its_categories() -> None:
    config = parse_config(_config({"profile": "steenwijkerland"}), {})
    settings = resolve(config, "Team Werk")
    assert settings.profile.name == "steenwijkerland"
    assert [c.label for c in settings.caselog.categories][:2] == ["Direct werk", "Werken & ervaren"]
    assert settings.caselog.subcategories == ()
    # The sweep's participation rule comes from the profile, each category with its rhythm.
    assert config.deadlines.contact_months("leren_ontwikkelen") == (24, 24)
    assert "leren_ontwikkelen" in config.deadlines.participation_categories


def test_a_team_override_wins_over_its_profile() -> None:
    overrides = {"categories": [{"code": "meedoen", "handover_to": "loopbaanbegeleider"}]}
    config = parse_config(_config({"overrides": overrides}), {})
    profile = resolve(config, "Team Werk").profile
    assert meaning.handover_categories(profile) == {"meedoen", "werkfit"}
    # Everything else of the entry stays the profile's.
    assert meaning.counts_as(profile, "meedoen") is Towards.PARTICIPATION


def test_without_a_profile_a_team_behaves_as_before() -> None:
    settings = resolve(parse_config({}, {}), "Team Werk")
    assert settings.profile.name == "dalfsen"
    assert [c.code for c in settings.caselog.categories] == ["zorg", "meedoen", "werkfit"]


@pytest.mark.parametrize(
    ("overrides", "key", "problem"),
    [
        # A rule naming a category that does not exist.
        (
            {"instruments": [{"code": "taalstage", "on_max_handover_to": "werkloos"}]},
            "instruments[0].on_max_handover_to",
            "'werkloos' bestaat niet",
        ),
        # A rule naming a role that does not exist.
        (
            {"categories": [{"code": "werkfit", "handover_to": "jobcoach"}]},
            "categories[2].handover_to",
            "'jobcoach' bestaat niet",
        ),
        # A rule naming an instrument that does not exist.
        (
            {"rules": [{"kind": "x", "instrument": "ontwikkelroute"}]},
            "rules[0].instrument",
            "'ontwikkelroute' bestaat niet",
        ),
        # An owner role nobody in the team can hold: no product role behind it.
        (
            {"roles": [{"code": "consulent", "label": "c", "base": "jobcoach"}]},
            "roles[0].base",
            "'jobcoach' bestaat niet",
        ),
        # A subcategory that does not exist.
        (
            {"categories": [{"code": "zorg", "subcategories": ["1a"]}]},
            "categories[0].subcategories",
            "subcategorie '1a' bestaat niet",
        ),
        # A key nobody reads (a typo would silently mean nothing).
        (
            {"categories": [{"code": "zorg", "reveiw_months": 6}]},
            "categories[0].reveiw_months",
            "onbekende instelling",
        ),
    ],
)
def test_a_wrong_rule_is_one_dutch_line_naming_profile_key_and_place(
    overrides: dict[str, object], key: str, problem: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(_config({"overrides": overrides}), {})
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("teams[0].profile: profiel dalfsen, ")
    assert key in message and problem in message and "teamconfiguratie" in message


def test_an_error_in_a_profile_file_names_its_line() -> None:
    text = (loader.FOLDER / "dalfsen.toml").read_text(encoding="utf-8")
    broken = text.replace('handover_to = "loopbaanbegeleider"', 'handover_to = "jobcoach"')
    line = next(
        n for n, row in enumerate(broken.splitlines(), 1) if 'handover_to = "jobcoach"' in row
    )
    with pytest.raises(profiles.ProfileError) as caught:
        loader.build("dalfsen", broken)
    assert str(caught.value).startswith(
        f"profiel dalfsen, categories[2].handover_to (regel {line}): 'jobcoach' bestaat niet"
    )


def test_an_unknown_profile_stops_the_bot_with_exit_code_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[[teams]]\nname = "Team Werk"\nprofile = "utrecht"\n', encoding="utf-8")
    assert main(["--config", str(config), "profiles"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "teams[0].profile: profiel utrecht: bestaat niet" in err


def test_python_m_bot_profiles_lists_one_line_each(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["profiles"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 4
    assert lines[0].startswith("dalfsen") and "(standaard)" in lines[0]
    assert any(line.startswith("steenwijkerland") and "002" in line for line in lines)


def test_two_teams_whose_profiles_disagree_on_a_rhythm_are_refused() -> None:
    teams = [
        {"name": "Dalfsen", "profile": "dalfsen"},
        {
            "name": "Steenwijk",
            "profile": "steenwijkerland",
            "overrides": {"categories": [{"code": "zorg", "review_months": 6}]},
        },
    ]
    with pytest.raises(ConfigError, match="zorg"):
        parse_config({"teams": teams}, {})


@pytest.mark.parametrize("name", profiles.names())
async def test_console_with_a_profile_seeds_a_demo_team(tmp_path: Path, name: str) -> None:
    """``console --profile NAME``: the first team on that profile with clients in each of its
    categories and the profile's participation deadlines after the sweep."""
    import io

    from sqlalchemy import func, select

    from bot.config import Config, with_profile
    from bot.console import run_console
    from bot.core.clock import FakeClock
    from bot.core.roles import Role
    from bot.runtime import Runtime
    from storage.db import Database, create_engine
    from storage.models import Client
    from tests.support.harness import DEFAULT_START

    url = f"sqlite+aiosqlite:///{tmp_path / 'console.sqlite'}"
    config = with_profile(Config(database_url=url), name)
    runtime = Runtime(
        config=config, clock=FakeClock(DEFAULT_START), db=Database(create_engine(url))
    )
    lines: list[str] = []
    try:
        await run_console(
            runtime, Role.ADMIN, stdin=io.StringIO(":stop\n"), out=lines.append, demo=True
        )
        async with runtime.db.transaction() as session:
            total = await session.scalar(select(func.count()).select_from(Client))
            decided = set((await session.scalars(select(Client.category))).all())
    finally:
        await runtime.db.dispose()
    profile = profiles.shipped(name)
    assert f"Profiel {profile.label}: " in "\n".join(lines)
    # Three per category, and this month's uitstroom: one per exit reason, werk twice.
    reasons = runtime.settings_for(config.teams[0].name).caselog.exit_reasons
    assert total == 3 * len(profile.categories) + len(reasons) + 1
    # Every category has decided clients; two aanmeldingen wait for the weekdate and the
    # clients who left before a decision have none (None).
    assert decided == {c.code for c in profile.categories} | {None}


def test_profile_instruments_feed_the_traject_limits_and_config_overrides_them() -> None:
    """Product defaults < the profile's instruments < ``[trajecten.instruments]`` < the team's
    table: Midden-Drenthe's Stark traject comes from its profile (003:L411), Dalfsen's taalstage
    is its own six months (001:L156), and the config still has the last word."""
    assert loader.LONGEST_TRAJECT_MONTHS == ABSOLUTE_MAX_MONTHS
    teams = [{"name": "Drenthe", "profile": "midden-drenthe"}, {"name": "Dalfsen"}]
    config = parse_config({"teams": teams}, {})
    stark = resolve(config, "Drenthe").trajecten.rule("stark_traject")
    assert (stark.usual_months, stark.max_extensions, stark.max_months, stark.seed) == (
        3,
        2,
        9,
        "003:L411",
    )
    assert "stark_traject" in {c.code for c in resolve(config, "Drenthe").caselog.instruments}
    assert resolve(config, "Dalfsen").trajecten.rule("taalstage").max_months == 6
    assert resolve(config, "Drenthe").trajecten.rule("taalstage").max_months == 9
    overridden = parse_config(
        {
            "teams": teams,
            "trajecten": {
                "instruments": {"stark_traject": {"max_extensions": 3, "max_months": 12}},
                "teams": {"Dalfsen": {"taalstage": {"max_months": 4}}},
            },
        },
        {},
    )
    stark = resolve(overridden, "Drenthe").trajecten.rule("stark_traject")
    assert (stark.max_extensions, stark.max_months, stark.seed) == (3, 12, "003:L411")
    assert resolve(overridden, "Dalfsen").trajecten.rule("taalstage").max_months == 4
    # A table that does not fit a team's profile is refused at start, naming the key.
    with pytest.raises(ConfigError, match="trajecten.instruments.taalstage"):
        parse_config(
            {"teams": teams, "trajecten": {"instruments": {"taalstage": {"usual_months": 8}}}}, {}
        )


@pytest.mark.parametrize(
    ("holders", "message"),
    [
        ({"consulent_inkomen": [1]}, "role_holders.consulent_inkomen: profiel"),
        ({"inkomensconsulent": ["Ingrid"]}, "geen Telegram-gebruikers-id"),
        ([1, 2], "role_holders: verwacht een tabel"),
    ],
)
def test_role_holders_are_checked_against_the_profile(holders: object, message: str) -> None:
    team = {
        "name": "Voorschoten",
        "profile": "voorschoten-leidschendam-voorburg-wassenaar",
        "role_holders": holders,
    }
    with pytest.raises(ConfigError, match=message):
        parse_config({"teams": [team]}, {})
