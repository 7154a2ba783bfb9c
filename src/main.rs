//! The `duty-desk` binary: everything lives in the library (see `duty_desk::cli`).

fn main() -> std::process::ExitCode {
    duty_desk::cli::main()
}
