// Finds libcrypt with pkg-config-rs, as a -sys crate does: for a foreign
// target it runs the program PKG_CONFIG_<target> names (cargo's [env]) and
// passes what it prints to the linker.
fn main() {
    pkg_config::Config::new()
        .probe("libcrypt")
        .unwrap_or_else(|e| panic!("pkg-config found no libcrypt: {}", e));
}
