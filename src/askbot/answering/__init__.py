"""Answering: questions to weighted terms, ranking, answer-type cues, and the engine that decides."""

# Below this chance that the best passage answers, askbot says it does not know.  Chosen with
# bench/calibrate.py: on the 12 development articles held out one at a time, it declines 2.9% of
# answerable questions and 89.7% of questions taken from another article (see README: Confidence).
DEFAULT_MIN_CONFIDENCE = 0.25
