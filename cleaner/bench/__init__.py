"""Benchmarks, apart from what a user imports (nothing in the runtime imports them): ``python -m cleaner.bench``
(plain text: load time, speed, memory, jusText beside it), ``python -m cleaner.bench.html`` (the HTML path beside
trafilatura), ``python -m cleaner.bench.oos`` (out-of-source validation). The run log is README.md here."""
