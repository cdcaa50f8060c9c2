"""Integrations with scraping and data frameworks; each is an optional extra (``pip install "cleaner[scrapy]"``,
``"cleaner[dask]"``, ``"cleaner[datatrove]"``, ``"cleaner[hf]"``) and is imported only by name:
`cleaner.integrations.scrapy`, `cleaner.integrations.dask`, `cleaner.integrations.datatrove`,
`cleaner.integrations.hf`."""
