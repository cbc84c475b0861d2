"""The benchmark (`make bench`, `python -m bench`): latency, memory and recall from 1k to 1M passages.

It measures the product's own search code (`index/`) on synthetic corpora shaped like the
product's index; nothing of the product imports it.
"""
