//! `edumarkt`: runs everything. The commands live in the library (`cli`), so the end-to-end
//! tests build the very same program.

fn main() -> std::process::ExitCode {
    edumarkt_server::cli::main()
}
