"""The language a text is written in, as an ISO 639-1 code.

A script used by one language alone (Greek, Thai, Hangul, kana, Hebrew, Armenian, Georgian) decides
without more ado; Han without kana is Chinese.  Otherwise py3langid (langid.py's maintained fork:
naive Bayes over byte n-grams, 97 languages, numpy and no pickle) decides.  Its model takes about a
second to load, once per indexing process, and only when a file in a shared script is indexed:
answering from a cached index never detects.
"""

from __future__ import annotations

import unicodedata
from collections import Counter

from askbot.analysis.languages import ENGLISH

# Text read from a file to decide its language: enough for any detector, bounded for huge files.
SAMPLE_CHARS = 20_000
# Fewer letters than this say too little: such a text is taken for English.
MIN_LETTERS = 40
# Scripts written by one language askbot knows (by the first word of their Unicode character names).
_SCRIPT_LANGUAGE = {
    "GREEK": "el",
    "THAI": "th",
    "HANGUL": "ko",
    "HIRAGANA": "ja",
    "KATAKANA": "ja",
    "HEBREW": "he",
    "ARMENIAN": "hy",
    "GEORGIAN": "ka",
    "LAO": "lo",
    "KHMER": "km",
    "MYANMAR": "my",
}
# py3langid's labels for varieties askbot analyses as one language.
_SAME_AS = {"wuu": "zh", "yue": "zh", "no": "nb", "nn": "nb", "ary": "ar", "arz": "ar"}


def detect_language(text: str) -> str:
    """The language of a text (ISO 639-1); English when it has too few letters to tell."""
    sample = text[:SAMPLE_CHARS]
    scripts = _scripts(sample)
    letters = sum(scripts.values())
    if letters < MIN_LETTERS:
        return ENGLISH
    script, count = scripts.most_common(1)[0]
    if scripts["HIRAGANA"] + scripts["KATAKANA"] > letters // 20:
        return "ja"  # Japanese writes kana between its Han characters
    if script == "CJK":
        return "zh"
    if script in _SCRIPT_LANGUAGE and count > letters // 2:
        return _SCRIPT_LANGUAGE[script]
    import py3langid

    code, _ = py3langid.classify(sample)
    return _SAME_AS.get(str(code), str(code))


def _scripts(text: str) -> Counter[str]:
    """Letters of a text counted by script: the first word of each one's Unicode name."""
    counts: Counter[str] = Counter()
    for ch in text:
        if ch.isalpha():
            counts[_script(ch)] += 1
    return counts


def _script(ch: str) -> str:
    if ch < "\u0250":
        return "LATIN"
    name = unicodedata.name(ch, "UNKNOWN")
    return name.split(" ", 1)[0]
