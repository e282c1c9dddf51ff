use super::Parsed;

pub(super) fn parse(_text: &str, _start: usize) -> Parsed {
    Parsed::default()
}
