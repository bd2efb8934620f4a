use std::ffi::{CStr, CString};
use std::os::raw::c_char;

extern "C" {
    fn crypt(key: *const c_char, salt: *const c_char) -> *mut c_char;
}

fn main() {
    let key = CString::new(std::env::args().nth(1).unwrap_or("xtc".into())).unwrap();
    let salt = CString::new("$5$xtcsalt$").unwrap();
    let hash = unsafe { crypt(key.as_ptr(), salt.as_ptr()) };
    assert!(!hash.is_null());
    println!("{}", unsafe { CStr::from_ptr(hash) }.to_str().unwrap());
}
