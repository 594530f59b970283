"""Questions answered from small texts in each language, in that language."""

from __future__ import annotations

import pytest

from askbot.answering.engine import Engine
from askbot.index.build import index_text

# (language, text, question, a piece of the sentence that answers it)
CASES = [
    (
        "de",
        "Der Rhein ist ein Fluss in Europa. Er fließt durch die Schweiz, Deutschland und die Niederlande. "
        "Die Stadt Köln liegt am Rhein. Der Kölner Dom wurde im Jahr 1880 fertiggestellt.",
        "Wann wurde der Kölner Dom fertiggestellt?",
        "1880",
    ),
    (
        "es",
        "El río Ebro nace en Cantabria. Atraviesa Zaragoza, una ciudad con muchos puentes. "
        "La catedral de Zaragoza fue construida en el siglo XVII.",
        "¿Dónde nace el río Ebro?",
        "Cantabria",
    ),
    (
        "ru",
        "Волга — самая длинная река в Европе. Город Казань стоит на берегу Волги. "
        "Казанский кремль построили в шестнадцатом веке.",
        "Когда построили Казанский кремль?",
        "шестнадцатом",
    ),
    (
        "tr",
        "İstanbul, Türkiye'nin en kalabalık şehridir. Boğaziçi Köprüsü 1973 yılında açıldı. "
        "Ankara ülkenin başkentidir.",
        "Boğaziçi Köprüsü ne zaman açıldı?",
        "1973",
    ),
    (
        "el",
        "Η Αθήνα είναι η πρωτεύουσα της Ελλάδας. Ο Παρθενώνας χτίστηκε τον πέμπτο αιώνα π.Χ. "
        "Ο Όλυμπος είναι το ψηλότερο βουνό της Ελλάδας.",
        "ΠΟΤΕ ΧΤΙΣΤΗΚΕ Ο ΠΑΡΘΕΝΩΝΑΣ;",
        "πέμπτο",
    ),
    (
        "ro",
        "Dunărea se varsă în Marea Neagră. Bucureşti este capitala României. "
        "Castelul Peleș a fost construit între 1873 și 1914.",
        "Care este capitala României?",
        "Bucureşti",
    ),
    (
        "ar",
        "القاهرة هي عاصمة مصر. بنيت الأهرامات في الجيزة قبل آلاف السنين. "
        "الإسكندرية مدينة كبيرة على البحر المتوسط.",
        "أين بنيت الأهرامات؟",
        "الجيزة",
    ),
    (
        "zh",
        "长城是中国古代的军事防御工程。北京是中华人民共和国的首都。长江是亚洲最长的河流。",
        "亚洲最长的河流是什么？",
        "长江",
    ),
    (
        "th",
        "กรุงเทพมหานครเป็นเมืองหลวงของประเทศไทย\n\nแม่น้ำเจ้าพระยาไหลผ่านกรุงเทพมหานคร\n\nช้างเป็นสัตว์ประจำชาติของไทย",
        "สัตว์ประจำชาติของไทยคืออะไร",
        "ช้าง",
    ),
]


@pytest.mark.parametrize(("language", "text", "question", "expected"), CASES, ids=[c[0] for c in CASES])
def test_a_question_finds_its_sentence_in_its_language(
    language: str, text: str, question: str, expected: str
) -> None:
    """Asked in the text's language, a question is answered with the sentence that holds the answer."""
    answer = Engine(index_text(text, "text", language)).ask(question)
    assert answer.known
    assert expected in answer.hits[0].passage.text


# (language, text, a question about something the text never mentions)
OFF_TOPIC = [
    ("de", CASES[0][1], "Wie viele Einwohner hat die Hauptstadt von Australien?"),
    ("es", CASES[1][1], "¿Quién ganó la copa mundial de fútbol en 2010?"),
    ("ru", CASES[2][1], "Сколько жителей в столице Австралии?"),
    ("tr", CASES[3][1], "Avustralya'nın başkentinde kaç kişi yaşıyor?"),
    ("el", CASES[4][1], "Πόσους κατοίκους έχει η πρωτεύουσα της Αυστραλίας;"),
    ("ro", CASES[5][1], "Câți locuitori are capitala Australiei?"),
]


@pytest.mark.parametrize(("language", "text", "question"), OFF_TOPIC, ids=[c[0] for c in OFF_TOPIC])
def test_a_question_the_text_does_not_cover_is_declined(language: str, text: str, question: str) -> None:
    """A question sharing only a word or two with the text ("capital") is declined, in its language."""
    answer = Engine(index_text(text, "text", language)).ask(question)
    assert not answer.known
    assert answer.missing


def test_a_romanian_word_finds_its_stem_where_the_dictionary_parts_the_lemmas() -> None:
    """ "Genele donate" meets "genele pe care le-a donat", whose lemmas differ ("donat", "dona"), rather
    than another sentence about genes."""
    text = (
        "Genele cloroplastului au fost studiate de mulți cercetători. "
        "Genele pe care le-a donat nucleului persistă și după pierderea cloroplastului."
    )
    answer = Engine(index_text(text, "text", "ro")).ask("Ce se întâmplă cu genele donate?")
    assert "donat nucleului" in answer.hits[0].passage.text


def test_a_german_question_about_a_day_finds_the_sentence_about_a_day() -> None:
    """ "Tag" is searched for (broad stopword lists drop it), so the sentence about a day beats the
    one about a year."""
    text = "Im Jahr verkauft der Laden Bücher. An einem Tag verkauft der Laden am Markt Bücher."
    answer = Engine(index_text(text, "text", "de")).ask("Wie viele Bücher verkauft der Laden an einem Tag?")
    assert "Tag" in answer.hits[0].passage.text
