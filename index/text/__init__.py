"""Danish text analysis, one analyser for the whole product.

lexicon (stopwords, abbreviations, fixed phrases, what a word is) ← spelling (ae/oe/aa, edit
distance) ← vocabulary (typo and compound lookups over one index's terms) ← analyzer
(`DanishAnalyzer`: document terms for BM25, and a question's words read against the vocabulary).
"""
