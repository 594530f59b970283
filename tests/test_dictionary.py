"""The dictionaries askbot keeps in its cache: simplemma's answers, read in milliseconds, checked."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
import zlib
from array import array
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import simplemma
from simplemma.strategies.dictionaries import DEFAULT_DICTIONARY_FACTORY

from askbot.analysis import dictionary
from askbot.analysis.dictionary import CANONICALISED, Words, encode, lemma_lookup, source_of
from askbot.dirs import no_cache

NON_WORDS = [
    "maried", "thier", "wich", "qzxv", "x", "1", "1999", "12th", "3d", "½", "don't", "o'clock", "rock'n'roll",
    "’tis", "ʼtis", "café", "cafe\u0301", "naïve", "ﬁnd", "Ⅻ", "Straße", "ĳssel", "مُحَمَّد", "Москва",
    "--", "e-mail", "état", "Être", "ÉTAT", "ǅemal", "ı", "İstanbul",
]  # fmt: skip


def reference(code: str) -> Callable[[str], str | None]:
    """What askbot asked simplemma before it kept dictionaries: a word's lemma, or None where unknown."""

    def lookup(word: str) -> str | None:
        if not word:
            return None
        if simplemma.is_known(word, lang=code):
            return str(simplemma.lemmatize(word, lang=code))
        if code == "en":
            return None
        lemma = str(simplemma.lemmatize(word, lang=code))
        return lemma if lemma != word else None

    return lookup


def variants(forms: list[str], every: int, misspelt: int) -> Iterator[str]:
    """Every `every`th form as written, lower-cased and capitalised (the cases simplemma tries), and
    every `misspelt`th in capitals and misspelt."""
    for n, form in enumerate(forms[::every]):
        yield from (form, form.lower(), form.capitalize())
        if n % misspelt == 0:
            yield from (form.upper(), form + "q", form[1:])


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("dictionaries")


def the_file(cache: Path, code: str) -> Path:
    (found,) = (cache / "dictionaries").glob(f"{code}-*.words")
    return found


def test_every_english_form_gets_simplemmas_answer(cache: Path) -> None:
    """Every form of simplemma's English dictionary, in every case and misspelt, and words that no
    dictionary holds, get from the cached dictionary exactly what simplemma answers."""
    forms = list(DEFAULT_DICTIONARY_FACTORY.get_dictionary("en"))
    ours, theirs = lemma_lookup("en", cache, rules=False), reference("en")
    differ = [w for w in [*variants(forms, 1, 10), *NON_WORDS, ""] if ours(w) != theirs(w)]
    assert differ == []
    assert ours("married") == "marry" and ours("maried") is None and ours("mary") == "Mary"


@pytest.mark.parametrize(("code", "every"), [("fr", 1), ("de", 50), ("el", 10), ("tr", 50)])
def test_forms_of_other_languages_get_simplemmas_answer(cache: Path, code: str, every: int) -> None:
    """Forms of other languages' dictionaries (all of French's; a sample of larger ones), in every case
    and misspelt, get exactly simplemma's answer, its affix rules included."""
    forms = list(DEFAULT_DICTIONARY_FACTORY.get_dictionary(code))
    ours, theirs = lemma_lookup(code, cache, rules=True), reference(code)
    differ = [w for w in [*variants(forms, every, 50), *NON_WORDS] if ours(w) != theirs(w)]
    assert differ == []


def test_the_languages_simplemma_canonicalises_are_those_it_answers_whole() -> None:
    """The languages whose words simplemma folds before a look-up, which askbot leaves to simplemma, are
    the ones this simplemma folds."""
    from simplemma.utils import CANON_LANGS

    assert CANONICALISED == CANON_LANGS


def test_a_second_process_answers_from_the_file_without_simplemma(cache: Path) -> None:
    """Once written, the dictionary is read by later processes without importing simplemma."""
    lemma_lookup("en", cache, rules=False)
    code = (
        "import sys; from pathlib import Path; from askbot.analysis.dictionary import lemma_lookup\n"
        f"lookup = lemma_lookup('en', Path({str(cache)!r}), rules=False)\n"
        "print(lookup('married'), lookup('maried'), 'simplemma' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["marry", "None", "False"]


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # truncated
        lambda data: data[:-1] + bytes([data[-1] ^ 1]),  # one bit flipped
        lambda data: b"",
        lambda data: b"\x80\x04\x95 a pickle",
        lambda data: data.replace(b'"format": 1', b'"format": 9', 1),
    ],
)
def test_a_damaged_file_is_written_again(tmp_path: Path, damage: Callable[[bytes], bytes]) -> None:
    """A truncated, damaged, foreign or planted words file is rejected and written again, sound."""
    lemma_lookup("en", tmp_path, rules=False)
    path = the_file(tmp_path, "en")
    path.write_bytes(damage(path.read_bytes()))
    assert lemma_lookup("en", tmp_path, rules=False)("married") == "marry"
    assert len(Words(path.read_bytes(), source_of("en") or [])) == len(
        DEFAULT_DICTIONARY_FACTORY.get_dictionary("en")
    )


def test_a_file_of_another_dictionary_is_refused() -> None:
    """A words file written from another simplemma data file is not taken for this one."""
    data = encode([b"cats"], [b"cat"], ["/elsewhere/en.plzma", 1, 2])
    assert Words(data, ["/elsewhere/en.plzma", 1, 2]).get("cats") == "cat"
    with pytest.raises(ValueError):
        Words(data, ["/elsewhere/en.plzma", 1, 3])


@pytest.mark.parametrize("seed", range(20))
def test_a_planted_file_with_a_sound_checksum_gives_wrong_lemmas_at_worst(seed: int) -> None:
    """A file whose offsets are garbage behind a matching checksum answers every lookup without a crash."""
    rng = random.Random(seed)
    count, buckets, keys, values = 6, 8, 30, 30
    offsets = array("I", [rng.randrange(64) for _ in range(buckets + 1 + 2 * (count + 1))])
    body = offsets.tobytes() + rng.randbytes(keys + values)
    header = {
        "format": 1, "source": ["x", 1, 2], "byteorder": sys.byteorder, "entries": count,
        "buckets": buckets, "keys": keys, "values": values, "crc32": zlib.crc32(body),
    }  # fmt: skip
    line = b"askbot words\n" + json.dumps(header).encode() + b"\n"
    words = Words(line + b" " * (-len(line) % 4) + body, ["x", 1, 2])
    for word in [*NON_WORDS, *(rng.randbytes(3).decode("latin-1") for _ in range(200))]:
        assert isinstance(words.get(word), str | None)


def test_a_cache_that_cannot_be_written_still_answers(tmp_path: Path) -> None:
    """Where the cache directory cannot be made, the dictionary is kept in memory and answers alike."""
    blocked = tmp_path / "a file"
    blocked.write_text("not a directory")
    lookup = lemma_lookup("en", blocked, rules=False)
    assert (lookup("married"), lookup("maried")) == ("marry", None)
    assert list(tmp_path.iterdir()) == [blocked]


def test_askbots_writing_the_file_at_once_leave_it_sound(tmp_path: Path) -> None:
    """Three processes that write the same dictionary at once all answer, and leave one sound file."""
    code = (
        "import sys; from pathlib import Path; from askbot.analysis.dictionary import lemma_lookup\n"
        f"print(lemma_lookup('en', Path({str(tmp_path)!r}), rules=False)('went'))"
    )
    runs = [
        subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True) for _ in range(3)
    ]
    assert [run.communicate()[0].strip() for run in runs] == ["go"] * 3
    assert [p.name for p in (tmp_path / "dictionaries").iterdir()] == [the_file(tmp_path, "en").name]
    assert Words(the_file(tmp_path, "en").read_bytes(), source_of("en") or []).get("went") == "go"


def test_within_no_cache_words_come_from_simplemma_and_nothing_is_written(tmp_path: Path) -> None:
    """Within no_cache() a lookup answers as simplemma does and reads and writes no words file; one
    made there opens the file once used outside it."""
    with no_cache():
        lookup = lemma_lookup("en", tmp_path, rules=False)
        assert [lookup(w) for w in ("married", "went", "maried")] == ["marry", "go", None]
    assert not (tmp_path / "dictionaries").exists()
    assert lookup("went") == "go" and the_file(tmp_path, "en").exists()


def dead_process_id() -> int:
    """The id of a process that has ended."""
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    return int(done.stdout)


def test_writing_a_words_file_removes_stale_ones_and_litter(tmp_path: Path) -> None:
    """Writing a words file removes words files of a simplemma data file no longer installed as it was
    (gone, or changed), and temporary files a writer that is gone left an hour or more ago; it keeps
    young ones, those of running writers, and files that are not its own."""
    folder = tmp_path / "dictionaries"
    folder.mkdir()
    installed = source_of("en")
    assert installed is not None
    gone = encode([b"cats"], [b"cat"], [str(tmp_path / "gone.plzma"), 1, 2])
    changed = encode([b"cats"], [b"cat"], [installed[0], installed[1] + 1, installed[2]])
    other = source_of("fr")
    assert other is not None
    (folder / "en-00000000000000aa.words").write_bytes(gone)
    (folder / "en-00000000000000bb.words").write_bytes(changed)
    (folder / "xx-00000000000000cc.words").write_bytes(b"damaged")
    kept_words = folder / "fr-00000000000000dd.words"
    kept_words.write_bytes(encode([b"chats"], [b"chat"], other))
    an_hour_ago = time.time() - dictionary.LEFTOVER_AGE_S - 60
    dead, alive = dead_process_id(), os.getpid()
    left = folder / f".en-00000000000000ee.words.{dead}.0123abcd"
    young = folder / f".en-00000000000000ff.words.{dead}.0123abcd"
    running = folder / f".en-0000000000000011.words.{alive}.0123abcd"
    foreign = folder / "notes.txt"
    for path in (left, young, running, foreign):
        path.write_bytes(b"partial")
    for path in (left, running, foreign):
        os.utime(path, (an_hour_ago, an_hour_ago))
    lemma_lookup("en", tmp_path, rules=False)
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [the_file(tmp_path, "en").name, kept_words.name, young.name, running.name, foreign.name]
    )
