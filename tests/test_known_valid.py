"""Files validated once are built without pydantic afterwards; anything else is validated.

See pilot_tui/store/known_valid.py: the cache is keyed by the exact bytes (and the versions, the
rules and the bank), so a change of one byte, another bank or a hand-written file is validated
like any other.
"""

from __future__ import annotations

import dataclasses
import os
import stat
import subprocess
import sys
import textwrap
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from pilot_tui.core import portfolio as portfolio_module
from pilot_tui.core import records
from pilot_tui.core.assessment import (
    Answer,
    Assessment,
    Participant,
    new_assessment,
    with_answer,
)
from pilot_tui.core.bank import Bank
from pilot_tui.core.portfolio import Glance, Standing, glance_of, standing_of
from pilot_tui.store import Store, dumps_assessment, load_bank
from pilot_tui.store import format as store_module
from pilot_tui.store import known_valid as known_valid_module
from pilot_tui.store.files import StoreError
from pilot_tui.store.known_valid import (
    BANKS,
    FILE_NAME,
    GLANCES,
    RECORDS,
    STANDINGS,
    KnownValid,
    cache_dir,
    digest,
)

NOW = datetime(2026, 5, 4, 3, 2, 1, tzinfo=UTC)


@pytest.fixture
def validations(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The kinds of record the store validates, in order (the store's validate, wrapped)."""
    seen: list[object] = []
    real: Callable[..., Any] = records.validate

    def counting(kind: type[Any], data: Any) -> Any:
        seen.append(kind)
        return real(kind, data)

    monkeypatch.setattr(store_module, "validate", counting)
    return seen


def saved(store: Store, *answers: tuple[str, str]) -> str:
    assessment = new_assessment(store.bank, "Claims bot", now=NOW)
    for question_id, choice in answers:
        assessment = with_answer(assessment, question_id, Answer(choice=choice), now=NOW)
    return store.create(assessment)


def test_a_file_the_store_wrote_loads_without_validation(
    store: Store, validations: list[object]
) -> None:
    name = saved(store, ("runbook", "met"))
    validations.clear()  # the write itself checks what it writes

    loaded = Store(store.root, store.bank).load(name)

    assert validations == []
    assert loaded.answers == {"runbook": Answer(choice="met")}
    assert (cache_dir() / FILE_NAME).is_file()


def test_a_changed_byte_is_validated_again_and_a_bad_change_reported(
    store: Store, validations: list[object]
) -> None:
    name = saved(store, ("runbook", "met"))
    path = store.path_for(name)
    path.write_text(path.read_text(encoding="utf-8").replace('"met"', '"meh"'), encoding="utf-8")
    validations.clear()

    with pytest.raises(StoreError, match="choice 'meh' is not one of"):
        Store(store.root, store.bank).load(name)
    assert validations == [Assessment]


def test_a_hand_written_file_is_validated_every_time(
    store: Store, validations: list[object]
) -> None:
    # A local time is valid, but only validation turns it into UTC: such a file is not in the
    # store's own form, so it is never built directly.
    name = saved(store)
    path = store.path_for(name)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("+00:00", ""), encoding="utf-8")
    validations.clear()

    first = Store(store.root, store.bank).load(name)
    second = Store(store.root, store.bank).load(name)

    assert validations == [Assessment, Assessment]
    assert first == second
    assert first.meta.created == NOW and first.meta.created.tzinfo is not None


def test_another_bank_validates_again(store: Store, bank: Bank, validations: list[object]) -> None:
    name = saved(store, ("runbook", "met"))
    other = dataclasses.replace(bank, version=bank.version + "-edited")
    validations.clear()

    Store(store.root, other).load(name)

    assert validations == [Assessment]
    assert digest(b"x", bank) != digest(b"x", other)


def test_a_digest_from_other_rules_is_not_trusted(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An older pilot-tui with the same version number but laxer rules (text-direction marks
    # were allowed once) recorded this file as valid; the rules of this one refuse it.
    name = saved(store)
    path = store.path_for(name)
    text = path.read_text(encoding="utf-8").replace(
        'title = "Claims bot"', 'title = "Claims \u202ebot"'
    )
    path.write_text(text, encoding="utf-8")
    with monkeypatch.context() as patch:
        patch.setattr(known_valid_module, "_rules_digest", lambda: b"older rules")
        known_valid_module.known_valid().add(digest(text.encode("utf-8"), store.bank))

    with pytest.raises(StoreError, match="text-direction"):
        Store(store.root, store.bank).load(name)


def test_a_known_digest_over_a_file_of_another_shape_is_validated(
    store: Store, validations: list[object]
) -> None:
    name = saved(store)
    validations.clear()  # the write itself checks what it writes
    path = store.path_for(name)
    text = path.read_text(encoding="utf-8") + "\n[milestones]\nx = 1\n"
    path.write_text(text, encoding="utf-8")
    known_valid_module.known_valid().add(digest(text.encode("utf-8"), store.bank))

    with pytest.raises(StoreError, match="milestones"):
        Store(store.root, store.bank).load(name)
    assert validations == [Assessment]


def test_a_file_past_the_size_limit_is_never_written(store: Store) -> None:
    name = saved(store)
    current = store.load(name)
    # Within every field's limit, but 3 MiB together: it could not be read back.
    big = current
    for index, (_, question) in enumerate(store.bank.iter_questions()):
        answer = Answer(choice="met", notes=f"{index} " + "x" * 19_000)
        big = with_answer(big, question.id, answer, now=NOW)
    people = {f"p{n}": Participant(name=f"P{n}", answers=big.answers) for n in range(4)}
    big = dataclasses.replace(big, participants=people)

    with pytest.raises(StoreError, match="MiB is more than the 2 MiB a file may have"):
        store.save(name, big, base=current)
    assert store.load(name) == current


def test_a_time_without_a_zone_is_not_written(store: Store) -> None:
    # Read back, it would be taken as UTC: not the same record, so not written (nor trusted).
    name = saved(store)
    current = store.load(name)
    naive = dataclasses.replace(current.meta, updated=datetime(2026, 5, 4, 3, 2, 1))

    with pytest.raises(StoreError, match="not saved: it would not read back as it is"):
        store.save(name, dataclasses.replace(current, meta=naive), base=current)


def test_a_damaged_or_unwritable_cache_only_costs_time(
    store: Store, validations: list[object]
) -> None:
    name = saved(store, ("runbook", "met"))
    cache = cache_dir() / FILE_NAME
    cache.write_bytes(b"\x00\xffnot a digest\n" * 3)
    known_valid_module._known_valid_at.cache_clear()
    validations.clear()

    assert Store(store.root, store.bank).load(name).answers["runbook"].choice == "met"
    assert validations == [Assessment]

    cache.unlink()
    cache.parent.chmod(0o500)
    try:
        known_valid_module._known_valid_at.cache_clear()
        assert Store(store.root, store.bank).load(name).answers["runbook"].choice == "met"
    finally:
        cache.parent.chmod(0o700)


def test_the_cache_is_cut_to_the_newest_half_when_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(known_valid_module, "MAX_DIGESTS", 10)
    path = tmp_path / "cache" / FILE_NAME
    known = KnownValid(path)

    keys = [f"{n:064x}" for n in range(12)]
    for key in keys:
        known.add(key)

    on_disk = path.read_text(encoding="ascii").split()
    assert len(on_disk) < 10
    assert on_disk == keys[-len(on_disk) :]
    assert all(key in KnownValid(path) for key in on_disk)
    assert keys[0] not in KnownValid(path)


def test_a_record_that_would_not_load_is_never_written(store: Store) -> None:
    name = saved(store, ("runbook", "met"))
    before = store.path_for(name).read_bytes()
    current = store.load(name)
    # Records are plain dataclasses: one built without validation can hold anything.
    hostile = with_answer(current, "runbook", Answer(choice="met", owner="\x1b[31mx"), now=NOW)

    with pytest.raises(StoreError, match=r"not saved: answers, runbook, owner: must be one line"):
        store.save(name, hostile, base=current)
    assert store.path_for(name).read_bytes() == before
    assert "\x1b" not in dumps_assessment(store.load(name))


def test_a_record_that_would_not_read_back_the_same_is_never_written(store: Store) -> None:
    name = saved(store)
    before = store.path_for(name).read_bytes()
    current = store.load(name)
    # None has no TOML form: the field would be left out and read back as "".
    odd = with_answer(current, "runbook", Answer(choice="met", owner=None), now=NOW)  # type: ignore[arg-type]

    with pytest.raises(StoreError, match="not saved: it would not read back as it is"):
        store.save(name, odd, base=current)
    assert store.path_for(name).read_bytes() == before


def test_pydantic_loads_after_the_first_frame_not_before(store: Store, tmp_path: Path) -> None:
    # pydantic takes about a quarter of a second and 10 MiB to load: the interview's first
    # frame must not wait for it. What a person types is validated by it, so a worker loads
    # it just after the first frame (benchmarks/interview.py measures start-up and memory).
    name = saved(store, ("runbook", "met"))
    script = textwrap.dedent(
        f"""
        import asyncio, sys, time
        from pathlib import Path
        from pilot_tui.store import Store, load_bank
        from pilot_tui.ui.app import PilotApp
        from pilot_tui.ui.screens.interview import InterviewScreen

        import pilot_tui.ui.app as app_module

        # What was loaded when the first frame was drawn: the warm-up runs right after it.
        at_first_frame = []
        warm_up = app_module._prepare_validation

        def spy():
            at_first_frame.append("pydantic" in sys.modules)
            warm_up()

        app_module._prepare_validation = spy
        store = Store(Path({str(store.root)!r}), load_bank())
        name = {name!r}
        app = PilotApp(store, open_name=name, open_path=store.path_for(name),
                       open_assessment=store.load(name), remember_theme=False)

        def on_disk():
            saved = store.load(name)
            return (
                [milestone.label for milestone in saved.milestones],
                saved.answers["success-criteria-agreed"].notes,
            )

        async def main():
            async with app.run_test(size=(120, 40)) as pilot:
                await pilot.pause()
                assert isinstance(app.screen, InterviewScreen), app.screen
                await app.workers.wait_for_complete()
                first_frame = at_first_frame[0]
                await pilot.press("2", "tab", "N", "o", "t", "e", "escape", "n", "4")
                await pilot.press("m", *"Workshop 1", "enter")
                await pilot.pause()
                app.flush_save()
                # The milestone is added by a worker once its dialog closes: wait for the file.
                deadline = time.monotonic() + 10
                while on_disk() != (["Workshop 1"], "Note") and time.monotonic() < deadline:
                    await asyncio.sleep(0.02)
                assert on_disk() == (["Workshop 1"], "Note"), on_disk()
                print(first_frame, "pydantic" in sys.modules)

        asyncio.run(main())
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=60,
        check=False,
    )

    assert (result.returncode, result.stdout.strip()) == (0, "False True"), result.stderr


def test_the_rules_cover_every_module_of_the_core_and_the_store() -> None:
    import importlib.util
    import pkgutil

    import pilot_tui.core
    import pilot_tui.store

    found = {path.resolve() for path in known_valid_module.rule_sources()}
    for package in (pilot_tui.core, pilot_tui.store):
        # Modules of sub-packages too (the report is one).
        for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            spec = importlib.util.find_spec(module.name)
            assert spec is not None and spec.origin is not None, module.name
            assert Path(spec.origin).resolve() in found, module.name
    assert any(name.startswith("pydantic-") for name in known_valid_module.validator_versions())


def test_a_changed_rule_or_validator_validates_again(tmp_path: Path) -> None:
    sources = []
    for path in known_valid_module.rule_sources():
        copy = tmp_path / path.parent.name / path.name
        copy.parent.mkdir(exist_ok=True)
        copy.write_bytes(path.read_bytes())
        sources.append(copy)
    versions = known_valid_module.validator_versions()
    before = known_valid_module.rules_digest(sources, versions)

    text = tmp_path / "core" / "text.py"
    text.write_bytes(text.read_bytes().replace(b"_REFUSED_IN_LINES", b"_REFUSED_IN_LINE5", 1))

    assert known_valid_module.rules_digest(sources, versions) != before
    assert known_valid_module.rules_digest(sources[:0], versions) != before
    newer = ["pydantic-99.0.0.dist-info"]
    assert known_valid_module.rules_digest(sources, newer) != known_valid_module.rules_digest(
        sources, versions
    )


def test_a_content_read_again_is_neither_parsed_nor_validated(
    store: Store, validations: list[object], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A portfolio reads a thousand files: the records a content gave are kept by its digest.
    name = saved(store, ("runbook", "met"))
    first = store.load(name)
    parsed: list[object] = []
    monkeypatch.setattr(store_module, "parse_toml_bytes", lambda *args: parsed.append(args))
    validations.clear()
    again = Store(store.root, store.bank).load(name)
    assert again == first
    assert parsed == [] and validations == []


def test_a_damaged_kept_record_is_read_from_the_file_again(
    store: Store, validations: list[object]
) -> None:
    name = saved(store, ("runbook", "met"))
    first = store.load(name)
    records = cache_dir() / RECORDS
    for kept in records.iterdir():
        kept.write_bytes(b"not a pickle")
    assert Store(store.root, store.bank).load(name) == first


@pytest.fixture
def scorings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The titles of the assessments the store works a standing out for (its scoring, wrapped)."""
    seen: list[str] = []
    real = standing_of

    def counting(bank: Bank, assessment: Assessment) -> Standing:
        seen.append(assessment.meta.title)
        return real(bank, assessment)

    monkeypatch.setattr(portfolio_module, "standing_of", counting)
    return seen


def test_an_unchanged_file_is_not_scored_again(store: Store, scorings: list[str]) -> None:
    # `list`, `portfolio` and the home screen score a thousand files: once per content.
    name = saved(store, ("runbook", "met"), ("on-call", "not-met"))
    path = store.path_for(name)
    first = store.standing(path, store.load(name))
    assert first == standing_of(store.bank, store.load(name))
    again = Store(store.root, store.bank)
    assert again.standing(path, again.load(name)) == first
    assert scorings == ["Claims bot"]


def test_a_changed_file_or_another_bank_is_scored_again(
    store: Store, bank: Bank, scorings: list[str]
) -> None:
    name = saved(store, ("runbook", "met"))
    path = store.path_for(name)
    store.standing(path, store.load(name))
    changed = with_answer(store.load(name), "on-call", Answer(choice="met"), now=NOW)
    store.save(name, changed)
    fresh = Store(store.root, store.bank)
    assert fresh.standing(path, fresh.load(name)) == standing_of(bank, changed)
    other = dataclasses.replace(bank, title="Another edition")
    elsewhere = Store(store.root, other)
    elsewhere.standing(path, elsewhere.load(name))
    assert scorings == ["Claims bot"] * 3


def test_a_damaged_kept_standing_is_worked_out_again(store: Store, scorings: list[str]) -> None:
    name = saved(store, ("runbook", "met"))
    path = store.path_for(name)
    first = store.standing(path, store.load(name))
    for kept in (cache_dir() / STANDINGS).iterdir():
        kept.write_bytes(b"not a pickle")
    fresh = Store(store.root, store.bank)
    assert fresh.standing(path, fresh.load(name)) == first
    assert len(scorings) == 2


def test_an_assessment_not_read_from_that_file_is_scored_as_it_is(
    store: Store, scorings: list[str]
) -> None:
    # Changed in memory since it was read: the standing kept for the file would be wrong.
    name = saved(store, ("runbook", "met"))
    path = store.path_for(name)
    store.standing(path, store.load(name))
    edited = with_answer(store.load(name), "runbook", Answer(choice="not-met"), now=NOW)
    assert store.standing(path, edited) == standing_of(store.bank, edited)


def glances_file() -> Path:
    (found,) = cache_dir().glob(f"{GLANCES}*")
    return found


def test_a_glance_damaged_by_a_byte_is_worked_out_again(store: Store) -> None:
    # A flipped bit in the cache must never show as another title or level, nor crash a list.
    saved(store, ("runbook", "met"))
    saved(store, ("on-call", "not-met"))
    first = Store(store.root, store.bank).listing()
    kept = glances_file()
    raw = kept.read_bytes()
    assert b"coverage" in raw
    kept.write_bytes(raw.replace(b"coverage", b"cCverage", 1))
    os.chmod(kept, 0o600)
    assert Store(store.root, store.bank).listing() == first
    kept.write_bytes(raw[: len(raw) // 2])  # cut short
    assert Store(store.root, store.bank).listing() == first


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_with_a_cache_file_name_never_blocks(store: Store, tmp_path: Path) -> None:
    saved(store, ("runbook", "met"))
    first = Store(store.root, load_bank()).listing()  # the built-in bank kept as built, too
    kept = glances_file()
    kept.unlink()
    os.mkfifo(kept)
    for bank_file in (cache_dir() / BANKS).iterdir():
        bank_file.unlink()
        os.mkfifo(bank_file)
    # In a process of its own, so that a hang fails the test rather than stopping the suite.
    script = (
        "from pathlib import Path\n"
        "from pilot_tui.store import Store, load_bank\n"
        f"print(len(Store(Path({str(store.root)!r}), load_bank()).listing()))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == str(len(first))


def test_the_cache_is_for_the_user_alone(store: Store) -> None:
    # It holds every pilot's title, team and standing; and what it keeps is unpickled.
    cache_dir().mkdir(mode=0o755, parents=True)
    os.chmod(cache_dir(), 0o755)  # as an older pilot-tui left it
    saved(store, ("runbook", "met"))
    Store(store.root, store.bank).listing()
    assert stat.S_IMODE(cache_dir().stat().st_mode) == 0o700
    for kept in [glances_file(), *(cache_dir() / RECORDS).iterdir()]:
        assert stat.S_IMODE(kept.stat().st_mode) == 0o600, kept


def test_a_kept_file_others_could_have_written_is_not_read(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved(store, ("runbook", "met"))
    Store(store.root, store.bank).listing()
    os.chmod(glances_file(), 0o666)
    made: list[str] = []
    real = glance_of

    def counting(bank: Bank, assessment: Assessment, standing: Standing) -> Glance:
        made.append(assessment.meta.title)
        return real(bank, assessment, standing)

    monkeypatch.setattr(portfolio_module, "glance_of", counting)
    Store(store.root, store.bank).listing()
    assert made == ["Claims bot"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_in_place_of_the_digests_never_blocks(store: Store) -> None:
    saved(store, ("runbook", "met"))
    cache_dir().mkdir(parents=True, exist_ok=True)
    (cache_dir() / FILE_NAME).unlink(missing_ok=True)
    os.mkfifo(cache_dir() / FILE_NAME)
    script = (
        "from pathlib import Path\n"
        "from pilot_tui.core.assessment import new_assessment, now_utc\n"
        "from pilot_tui.store import Store, load_bank\n"
        f"store = Store(Path({str(store.root)!r}), load_bank())\n"
        "store.create(new_assessment(store.bank, 'Fresh one', now=now_utc()))\n"
        "print(len(store.listing()))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "2"


def test_digests_others_could_have_written_are_not_trusted(
    store: Store, validations: list[object]
) -> None:
    # A digest there lets a file skip validation: only the user's own are believed.
    name = saved(store, ("runbook", "met"))
    digests = cache_dir() / FILE_NAME
    assert digests.exists()
    os.chmod(digests, 0o666)
    known_valid_module._known_valid_at.cache_clear()  # as a new process would read it
    validations.clear()
    Store(store.root, store.bank).load(name)
    assert validations  # validated again, not trusted
    # And the open file is replaced, not added to.
    assert not digests.exists() or stat.S_IMODE(digests.stat().st_mode) == 0o600


def test_a_kept_file_under_another_ones_name_is_not_read_as_that_one(store: Store) -> None:
    first = saved(store, ("runbook", "met"))
    assessment = new_assessment(store.bank, "Fraud model", now=NOW)
    second = store.create(assessment)
    fresh = [(entry.name, entry.glance) for entry in Store(store.root, store.bank).listing()]
    kept = sorted((cache_dir() / RECORDS).iterdir())
    assert len(kept) == 2
    contents = [path.read_bytes() for path in kept]
    for path, content in zip(kept, reversed(contents), strict=True):
        path.write_bytes(content)  # swapped
    glances_file().unlink()
    again = [(entry.name, entry.glance) for entry in Store(store.root, store.bank).listing()]
    assert again == fresh
    assert {first, second} == {name for name, _ in again}
