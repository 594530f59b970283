"""Other ways of saying a question's words: abbreviations, number words, spelling variants, near-synonyms.

A small table checked by hand, of the paraphrases people commonly type when asking about a text
("ceo" for "chief executive", "kids" for "children", "how old" for "aged", "color" for "colour"),
plus a few regular families (British and American spellings, names and their adjectives: Victoria,
Victorian).  Nothing here is about a particular document: each entry is an everyday English
equivalence.  Every alternative is only searched for; the knowledge decides whether it is there.
"""

from __future__ import annotations

from collections.abc import Iterator

# Abbreviations people type, and what they stand for.
ABBREVIATIONS: dict[str, str] = {
    "ceo": "chief executive",
    "cfo": "chief financial officer",
    "cto": "chief technology officer",
    "coo": "chief operating officer",
    "md": "managing director",
    "uni": "university",
    "yr": "year",
    "yrs": "years",
    "govt": "government",
    "gov": "government",
    "approx": "approximately",
    "info": "information",
    "dept": "department",
    "num": "number",
    "mgr": "manager",
    "intl": "international",
    "natl": "national",
    "bn": "billion",
    "mn": "million",
    "mil": "million",
    "pct": "per cent",
    "h1": "first half",
    "h2": "second half",
    "q1": "first quarter",
    "q2": "second quarter",
    "q3": "third quarter",
    "q4": "fourth quarter",
    "ww1": "first world war",
    "wwi": "first world war",
    "ww2": "second world war",
    "wwii": "second world war",
    "temp": "temperature",
    "config": "configuration",
    "docs": "documentation",
    "repo": "repository",
    "app": "application",
    "dir": "directory",
    "pkg": "package",
    "lib": "library",
    "auth": "authentication",
    "admin": "administrator",
    "db": "database",
    "os": "operating system",
    "pw": "password",
    "msg": "message",
    "hq": "headquarters",
    "dob": "date of birth",
    "tel": "telephone",
    "bday": "birthday",
    "pic": "picture",
    "pics": "pictures",
    "ppl": "people",
    "mins": "minutes",
    "secs": "seconds",
    "hrs": "hours",
    "hr": "hour",
    "wk": "week",
    "mo": "month",
    "eta": "arrival",
    "req": "requirement",
    "reqs": "requirements",
    "max": "maximum",
    "min": "minimum",
}

# Near-synonyms a question commonly uses for what a text says.  Read as "a question saying X may be
# answered by a text saying any of these"; the forms are analysed, so "lead" also finds "led".
RELATED: dict[str, tuple[str, ...]] = {
    "lead": ("head", "command", "chair", "direct", "charge"),
    "head": ("lead", "chief", "chair"),
    "command": ("lead", "head"),
    "run": ("operate", "manage"),
    "operate": ("run", "manage"),
    "manage": ("run", "operate"),
    "boss": ("head", "chief", "lead", "manager"),
    "die": ("death", "dead", "killed"),
    "death": ("die", "dead", "killed"),
    "born": ("birth",),
    "birth": ("born",),
    "old": ("aged", "age", "born"),
    "age": ("aged", "old", "born"),
    "kid": ("child", "son", "daughter"),
    "child": ("son", "daughter", "kid"),
    "wife": ("married", "spouse", "husband"),
    "husband": ("married", "spouse", "wife"),
    "spouse": ("married", "wife", "husband"),
    "marry": ("wife", "husband", "spouse"),
    "cost": ("price", "priced", "fee", "charge", "pay"),
    "price": ("cost", "priced", "fee", "charge"),
    "fee": ("cost", "price", "charge"),
    "pay": ("cost", "fee", "charge", "price", "fund"),
    "start": ("begin", "launch", "found", "establish", "open"),
    "begin": ("start", "launch", "found", "establish"),
    "launch": ("start", "begin", "open"),
    "found": ("establish", "start", "create"),
    "establish": ("found", "start", "create"),
    "create": ("make", "found", "develop", "design", "invent"),
    "invent": ("invention", "inventor", "patent", "design", "create"),
    "write": ("author", "wrote"),
    "author": ("write", "wrote"),
    "make": ("produce", "build", "manufacture", "create"),
    "produce": ("make", "manufacture"),
    "build": ("construct", "make", "built"),
    "buy": ("purchase", "acquire"),
    "purchase": ("buy", "acquire"),
    "sell": ("sale", "sold"),
    "sale": ("sell", "sold", "revenue"),
    "revenue": ("sale", "turnover"),
    "profit": ("earning",),
    "staff": ("employee", "employ", "worker"),
    "employee": ("staff", "employ", "worker"),
    "worker": ("staff", "employee", "employ"),
    "job": ("profession", "occupation", "career", "work"),
    "profession": ("job", "occupation", "career"),
    "live": ("population", "inhabitant", "resident"),
    "population": ("inhabitant", "resident", "people"),
    "big": ("large", "size", "area"),
    "large": ("big", "size", "area"),
    "size": ("area", "large", "big"),
    "fast": ("quick", "speed"),
    "quick": ("fast", "speed"),
    "speed": ("fast", "quick"),
    "near": ("close", "nearest", "closest"),
    "close": ("near", "nearest", "shut"),
    "shut": ("close", "closure"),
    "fix": ("repair", "solve"),
    "repair": ("fix",),
    "broken": ("fault", "damage", "repair"),
    "need": ("require", "requirement"),
    "require": ("need",),
    "allow": ("permit", "let"),
    "forbid": ("ban", "prohibit"),
    "ban": ("forbid", "prohibit"),
    "stop": ("end", "halt", "cease"),
    "end": ("finish", "stop", "close"),
    "finish": ("end", "complete"),
    "money": ("fund", "funding", "cost"),
    "fund": ("money", "funding", "grant"),
    "country": ("nation", "state"),
    "town": ("city", "village"),
    "city": ("town",),
    "car": ("vehicle",),
    "phone": ("telephone", "call"),
    "help": ("assist", "support"),
    "support": ("help",),
    "show": ("display",),
    "delete": ("remove",),
    "remove": ("delete",),
    "error": ("fail", "failure", "fault"),
    "fail": ("error", "failure"),
    "install": ("setup",),
    "setup": ("install", "configure"),
    "rule": ("reign", "govern"),
    "reign": ("rule",),
    "research": ("study", "studies"),
    "study": ("research",),
    "finance": ("fund", "pay", "sponsor"),
    "sponsor": ("fund", "pay"),
    "plant": ("factory", "site", "works"),
    "factory": ("plant", "site", "works"),
    "kill": ("die", "death", "dead"),
    "happen": ("occur",),
    "occur": ("happen",),
    "famous": ("known", "renowned", "fame"),
    "prize": ("award",),
    "award": ("prize",),
    "victory": ("win", "won"),
    "replace": ("succeed", "successor"),
    "succeed": ("replace", "successor"),
    "successor": ("succeed", "replace"),
    "resign": ("quit", "leave", "step"),
    "quit": ("resign", "leave"),
    "hire": ("rent",),
    "rent": ("hire",),
    "choose": ("select", "pick"),
    "select": ("choose", "pick"),
    "pick": ("choose", "select"),
    "cause": ("reason", "because", "due"),
    "rich": ("wealthy", "wealth"),
    "wealthy": ("rich",),
    "tall": ("height", "high"),
    "height": ("tall", "high"),
    "long": ("length",),
    "length": ("long",),
    "wide": ("width",),
    "width": ("wide",),
    "heavy": ("weight", "weigh"),
    "weight": ("weigh", "heavy"),
    "aim": ("goal", "purpose", "objective"),
    "goal": ("aim", "purpose", "objective"),
    "purpose": ("aim", "goal", "objective"),
    "problem": ("issue", "difficulty", "trouble"),
    "rise": ("increase", "grow", "climb"),
    "increase": ("rise", "grow"),
    "grow": ("rise", "increase"),
    "fall": ("drop", "decline", "decrease"),
    "drop": ("fall", "decline", "decrease"),
    "reduce": ("cut", "lower", "decrease"),
    "claim": ("say", "state"),
    "elect": ("vote", "election"),
    "vote": ("elect", "election"),
    "publish": ("release", "publication"),
    "release": ("publish", "launch"),
    "salary": ("pay", "wage", "earn"),
    "wage": ("pay", "salary"),
    "earn": ("income", "salary", "wage"),
    "injure": ("injury", "hurt", "wound"),
    "hurt": ("injure", "injury"),
    "war": ("conflict", "battle", "fight"),
    "fight": ("battle", "war"),
    "doctor": ("physician",),
}

NUMBER_WORDS: dict[str, str] = {
    word: str(n)
    for n, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen"
        " sixteen seventeen eighteen nineteen twenty".split()
    )
} | {
    "thirty": "30",
    "forty": "40",
    "fifty": "50",
    "sixty": "60",
    "seventy": "70",
    "eighty": "80",
    "ninety": "90",
    "hundred": "100",
    "thousand": "1000",
    "dozen": "12",
}
NUMERALS: dict[str, str] = {digits: word for word, digits in NUMBER_WORDS.items() if word != "dozen"}

# Countries and regions whose adjective no regular ending makes (Victoria/Victorian is regular, below).
DEMONYMS: dict[str, str] = {
    "germany": "german",
    "france": "french",
    "spain": "spanish",
    "britain": "british",
    "england": "english",
    "scotland": "scottish",
    "wales": "welsh",
    "ireland": "irish",
    "holland": "dutch",
    "netherlands": "dutch",
    "china": "chinese",
    "japan": "japanese",
    "portugal": "portuguese",
    "sweden": "swedish",
    "denmark": "danish",
    "finland": "finnish",
    "poland": "polish",
    "norway": "norwegian",
    "turkey": "turkish",
    "greece": "greek",
    "switzerland": "swiss",
    "belgium": "belgian",
    "iraq": "iraqi",
    "israel": "israeli",
    "pakistan": "pakistani",
    "kuwait": "kuwaiti",
    "yemen": "yemeni",
    "afghanistan": "afghan",
    "vietnam": "vietnamese",
    "lebanon": "lebanese",
    "sudan": "sudanese",
    "taiwan": "taiwanese",
    "thailand": "thai",
    "iceland": "icelandic",
    "philippines": "filipino",
    "mexico": "mexican",
    "morocco": "moroccan",
    "peru": "peruvian",
    "chile": "chilean",
    "rome": "roman",
    "arabia": "arab",
    "flanders": "flemish",
}
# The adjective back to its name ("dutch" to the later of its two, "netherlands").
ADJECTIVES: dict[str, str] = {adjective: name for name, adjective in DEMONYMS.items()}

# British and American spellings: (British ending, American ending).
_SPELLINGS = (
    ("our", "or"),
    ("tre", "ter"),
    ("ise", "ize"),
    ("ised", "ized"),
    ("ising", "izing"),
    ("isation", "ization"),
    ("yse", "yze"),
    ("ence", "ense"),
    ("ogue", "og"),
    ("lled", "led"),
    ("lling", "ling"),
)
# A name and the adjective or member noun made from it: Victoria/Victorian, Asia/Asian, Buddhism/Buddhist.
_DERIVED = (("a", "an"), ("", "an"), ("", "ian"), ("a", "ian"), ("ism", "ist"), ("ism", "ists"), ("y", "ian"))


def alternatives(word: str) -> list[str]:
    """Other ways of writing a folded word: phrases and words to search for in its stead."""
    found: list[str] = []
    if word in ABBREVIATIONS:
        found.append(ABBREVIATIONS[word])
    if word in NUMBER_WORDS:
        found.append(NUMBER_WORDS[word])
    if word in NUMERALS:
        found.append(NUMERALS[word])
    if word in DEMONYMS:
        found.append(DEMONYMS[word])
    if word in ADJECTIVES:
        found.append(ADJECTIVES[word])
    found.extend(_swap_endings(word, _SPELLINGS))
    found.extend(_swap_endings(word, _DERIVED))
    return list(dict.fromkeys(f for f in found if f != word))


def related(lemma: str) -> tuple[str, ...]:
    """Near-synonyms of a word's lemma (its dictionary form), from the hand-checked table."""
    return RELATED.get(lemma, ())


def _swap_endings(word: str, pairs: tuple[tuple[str, str], ...]) -> Iterator[str]:
    """The word with one ending of a pair swapped for the other, both ways: colour <-> color."""
    for one, other in pairs:
        for old, new in ((one, other), (other, one)):
            if word.endswith(old) and len(word) > len(old) + 2:
                yield word[: len(word) - len(old)] + new
