// Builds src/answer.c the way cc-rs does, without cc-rs (no crates, so it
// builds offline): the compiler and archiver come from CC_<target> and
// AR_<target>, which cargo sets from [env] in .cargo/config.toml.
use std::env;
use std::path::PathBuf;
use std::process::Command;

fn tool(kind: &str, target: &str) -> String {
    let name = format!("{}_{}", kind, target.replace('-', "_"));
    println!("cargo:rerun-if-env-changed={}", name);
    env::var(&name).unwrap_or_else(|_| panic!("{} is not set by cargo's [env]", name))
}

fn run(command: &mut Command) {
    let status = command
        .status()
        .unwrap_or_else(|e| panic!("cannot run {:?}: {}", command, e));
    assert!(status.success(), "{:?} failed: {}", command, status);
}

fn main() {
    let target = env::var("TARGET").unwrap();
    let out = PathBuf::from(env::var("OUT_DIR").unwrap());
    let cc = tool("CC", &target);
    let ar = tool("AR", &target);
    let object = out.join("answer.o");
    run(Command::new(&cc)
        .args(["-c", "-O2", "-fPIC", "src/answer.c", "-o"])
        .arg(&object));
    run(Command::new(&ar)
        .arg("crs")
        .arg(out.join("libanswer.a"))
        .arg(&object));
    println!("cargo:rustc-link-search=native={}", out.display());
    println!("cargo:rustc-link-lib=static=answer");
    println!("cargo:rerun-if-changed=src/answer.c");
    println!("cargo:rustc-env=ANSWER_CC={}", cc);
}
