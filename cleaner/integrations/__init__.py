"""Integrations with scraping and data frameworks; each is an optional extra (``pip install "cleaner[scrapy]"``,
``pip install "cleaner[dask]"``) and is imported only by name: `cleaner.integrations.scrapy`,
`cleaner.integrations.dask`."""
