"""Analysis in each language: folding that keeps meaning, stems, lemmas, stopwords, bigrams, names."""

from __future__ import annotations

import pytest

from askbot.analysis.languages import folder, language
from askbot.analysis.text import Analyzer, tokenize


def terms(text: str, code: str) -> list[str]:
    return Analyzer(language=code).terms(text)


@pytest.mark.parametrize(
    ("code", "a", "b"),
    [
        ("de", "Häuser", "Haus"),
        ("de", "Straße", "STRASSE"),
        ("es", "naciones", "nación"),
        ("es", "nacion", "nación"),
        ("ru", "Москвы", "Москва"),
        ("tr", "kızlar", "kız"),
        ("tr", "İSTANBUL", "istanbul"),
        ("el", "ΠΌΛΕΙΣ", "πόλεις"),
        ("el", "πόλεις", "πόλη"),
        ("ro", "ţara", "țara"),
        ("ar", "مُحَمَّد", "محمد"),
    ],
)
def test_forms_of_a_word_meet_in_its_language(code: str, a: str, b: str) -> None:
    """Inflections, capitals, German ß, Greek accents and final sigma, legacy Romanian letters and
    Arabic short vowels all give one term."""
    assert terms(a, code) == terms(b, code) != []


def test_turkish_keeps_dotted_and_dotless_i_apart() -> None:
    """Turkish capitals fold by Turkish rules (I -> ı, İ -> i), and kız and kiz stay different words."""
    fold = folder("tr")
    assert (fold("IRAK"), fold("İzmir"), fold("KIŞ")) == ("ırak", "izmir", "kış")
    assert terms("kız", "tr") != terms("kiz", "tr")


def test_greek_lower_case_keeps_its_final_sigma() -> None:
    """Greek folds to lower case with a final ς, the form its dictionary knows."""
    assert folder("el")("ΠΌΛΕΙΣ") == "πόλεις"


def test_english_folding_is_unchanged() -> None:
    """English still drops every accent."""
    assert folder("en")("Café NATO’s") == "cafe nato's"


@pytest.mark.parametrize(
    ("code", "text"),
    [
        ("de", "der die das und oder"),
        ("es", "el la de que y"),
        ("ru", "и в не на что"),
        ("tr", "ve bir bu da için"),
        ("el", "και το να της με"),
        ("ro", "și în pe la cu"),
        ("ar", "في من على إلى عن"),
    ],
)
def test_each_language_drops_its_own_stopwords(code: str, text: str) -> None:
    """A text of only the language's commonest function words has nothing to search for."""
    assert terms(text, code) == []


@pytest.mark.parametrize(
    ("code", "text"),
    [
        ("de", "Tag Zeit erste zwei früher bekannt"),
        ("es", "dos cuatro día general"),
        ("ru", "год город время день"),
        ("ro", "primul două timp vreme nevoie"),
    ],
)
def test_words_that_carry_a_question_are_no_stopwords(code: str, text: str) -> None:
    """Days, times, numbers and "earlier", which broad stopword lists hold, are searched for where
    Snowball's list of function words is used, and in Romanian where a second list does not hold them."""
    assert len(terms(text, code)) == len(text.split())


def test_terms_outside_english_carry_their_language() -> None:
    """A German term is tagged with its language, an English one is not, so they never meet by chance."""
    assert terms("Mission", "de") == ["de|mission"]
    assert terms("Mission", "en") == ["mission"]


def test_chinese_runs_become_characters_and_overlapping_bigrams() -> None:
    """A run of Han characters gives each character and the overlapping bigrams, in text order;
    Latin words and numbers stay words."""
    tokens = tokenize("北京大学2018年与NATO", "zh")
    assert [t.word for t in tokens] == [
        "北", "北京", "京", "京大", "大", "大学", "学", "2018", "年", "年与", "与", "NATO"
    ]  # fmt: skip


def test_thai_runs_become_overlapping_trigrams() -> None:
    """Thai, whose characters are letters, is cut into overlapping character trigrams."""
    assert [t.word for t in tokenize("ภาษาไทย", "th")] == ["ภาษ", "าษา", "ษาไ", "าไท", "ไทย"]


def test_a_thai_run_shorter_than_a_trigram_is_its_own_token() -> None:
    """A run too short for any of its language's n-grams is kept whole."""
    assert [t.word for t in tokenize("2018 ไท", "th")] == ["2018", "ไท"]


def test_thai_and_indic_vowel_signs_stay_inside_their_words() -> None:
    """Combining vowel signs and viramas do not cut a word: Hindi words stay whole, and Thai n-grams
    run across its vowel signs."""
    assert [t.word for t in tokenize("हिन्दी भाषा", "hi")] == ["हिन्दी", "भाषा"]
    thai = [t.word for t in tokenize("ที่ใช้", "th")]
    assert "".join(w[0] for w in thai) + thai[-1][1:] == "ที่ใช้"


def test_token_spans_point_into_the_text() -> None:
    """Bigram and word tokens alike know where they stand in the original text."""
    text = "NATO在北京"
    assert [text[t.start : t.end] for t in tokenize(text, "zh")] == ["NATO", "在", "在北", "北", "北京", "京"]


def test_german_nouns_are_not_taken_for_names() -> None:
    """In German every noun has a capital, so a capital inside a question marks no name."""
    de = Analyzer(language="de")
    token = tokenize("Wann wurde der Dom gebaut", "de")[3]
    assert not de.is_name(token)
    en = Analyzer()
    assert en.is_name(tokenize("When was the Dom built", "en")[3])


def test_a_word_no_dictionary_knows_is_a_name_and_a_known_one_is_not() -> None:
    """Spanish "Schreurs" is unknown to the Spanish dictionary, so it names something; "ciudad" does not."""
    es = Analyzer(language="es")
    question = tokenize("dónde vive schreurs en la ciudad", "es")
    assert es.is_name(question[2])
    assert not es.is_name(question[5])


def test_a_turkish_name_with_its_suffix_is_a_name_even_first() -> None:
    """Turkish sets a name's suffix off with an apostrophe ("Gandi'nin"), so such a word names
    something even as a question's first word, where a capital alone does not."""
    tr = Analyzer(language="tr")
    gandi, museum = tokenize("Gandi'nin eseri", "tr")[0], tokenize("Müze nerede", "tr")[0]
    assert tr.is_name(gandi, first=True)
    assert not tr.is_name(museum, first=True)


def test_arabic_words_with_clitics_are_known() -> None:
    """ "السمة" (the feature) is known through its article-less form, so it is no name."""
    ar = Analyzer(language="ar")
    assert ar.is_known("السمة")
    assert not ar.is_name(tokenize("السمة", "ar")[0])


def test_unknown_codes_fold_without_stemming() -> None:
    """A language askbot has nothing for is still tokenised and folded."""
    assert language("xx").snowball is None
    assert terms("Abc Déf", "xx") == ["xx|abc", "xx|déf"]


def test_inflected_forms_of_a_stopword_are_stopwords() -> None:
    """Russian "какое" and "каком" are stopwords as their lemma "какой" is, though the list lacks them."""
    assert terms("какое каком какой", "ru") == []
    assert terms("кремль", "ru") != []


def test_a_german_compound_the_knowledge_lacks_is_found_by_its_parts() -> None:
    """ "Wikingersiedlern" meets a text that writes "Wikinger" and "Siedler" apart; English splits nothing."""
    de = Analyzer(language="de")
    known = set(de.terms("Die Wikinger waren Siedler. Die Klasse der Komplexität."))
    assert de.compound_parts("wikingersiedlern", known) == [de.term("wikinger"), de.term("siedlern")]
    assert de.compound_parts("komplexitätsklassen", known) == [de.term("komplexität"), de.term("klassen")]
    assert de.compound_parts("wikingerboote", known) == []
    assert Analyzer().compound_parts("wikingersiedlern", known) == []


def test_a_word_meets_the_knowledge_word_of_its_stem_where_lemmas_part_them() -> None:
    """Romanian "donate" (lemma "donat") finds the text's "donat" (lemma "dona") through their shared
    Snowball stem; English leaves this to its paraphrase tables."""
    ro = Analyzer(language="ro")
    vocabulary = {w: ro.term(w) for w in ("donat", "genele", "nucleului")}
    known = set(vocabulary.values())
    assert ro.term("donate") not in known
    assert ro.same_stem("donate", vocabulary.keys(), known) == [ro.term("donat")]
    assert ro.same_stem("dovedesc", vocabulary.keys(), known) == []
    en = Analyzer()
    assert en.same_stem("donated", {"donate": "donat"}.keys(), {"donat"}) == []
