# Convenience recipes; each is a plain cargo command too (see README).

# Run the textbook scenario
demo:
    cargo run --release -- run scenarios/ap-async-dns.toml

# The test suite (what CI runs)
test:
    cargo test --release

# Everything CI checks
ci:
    bash .ci/run

# Validate every shipped scenario
validate:
    cargo run --release -- validate scenarios

# Regenerate the reports of the shipped scenarios under reports/
reports:
    cargo run --release -- run scenarios --out reports

# Engine benchmark: simulated writes per wall-second and peak memory
bench:
    cargo bench --bench engine
