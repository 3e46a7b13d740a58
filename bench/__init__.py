"""City-scale benchmarks: a database generator, two Flask floor apps and a wrk runner."""
