//! The `duty-desk` binary: everything lives in the library (see `duty_desk::cli`).
#![deny(clippy::unwrap_used, clippy::expect_used)]

fn main() -> std::process::ExitCode {
    // output piped into `head` ends the process quietly, as with any Unix tool
    sigpipe::reset();
    duty_desk::cli::main()
}
