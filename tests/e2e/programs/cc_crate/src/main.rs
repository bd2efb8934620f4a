use std::ffi::CStr;
use std::os::raw::c_char;

extern "C" {
    fn answer() -> i32;
    fn built_for() -> *const c_char;
}

fn main() {
    let arch = unsafe { CStr::from_ptr(built_for()) }.to_str().unwrap();
    let value = unsafe { answer() };
    println!("C says {} on {}, compiled by {}", value, arch, env!("ANSWER_CC"));
}
