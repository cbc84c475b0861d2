"""Danish text analysis, one analyser for the whole product.

lexicon (stopwords, abbreviations, fixed phrases, what a word is) ← spelling (ae/oe/aa) ←
vocabulary (typo and compound lookups over one index's terms, rapidfuzz) ← dictionary (hunspell-da:
is it a Danish word, its lemmas) and frequency (wordfreq: how common in Danish) ← analyzer
(`DanishAnalyzer`: document terms for BM25, and a question's words read against the vocabulary) ←
novelty (how new each word of a question is to the library).
"""
