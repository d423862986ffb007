//! The `regionsim` binary: a thin shell around [`regionsim::cli::main`].

fn main() {
    std::process::exit(regionsim::cli::main());
}
