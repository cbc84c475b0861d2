"""Dense retrieval: the embedding model and FAISS over its vectors.

embed (the model behind `Embedder`) · views (what each dense signal sees of a passage) ·
faiss_index (`DenseIndex`: exact below 50k rows, IVF fast-scan with an exact re-rank above) with
its parts: ivf (list, probe and code counts, training), owners (rows per passage), kept_rows
(vectors held in memory), row_file (vectors read from disk with pread), pread_rows (the compiled
read loop).
"""
