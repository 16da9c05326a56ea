//! The bytes a context value is hashed as: its serde data, each value
//! tagged, strings length-prefixed, containers closed by an end mark, so two
//! different values never give the same bytes. Planning a page hashes its
//! whole context (every page, on every build over the last output and every
//! `serve` rebuild), and writing it as escaped JSON for the hash was a tenth
//! of that; this writes each string once, unescaped.

use serde::ser::{self, Serialize};

/// Where encoded bytes go: a hasher, or a buffer kept for later.
pub(crate) trait Out {
    fn put(&mut self, bytes: &[u8]);
}

impl Out for Vec<u8> {
    fn put(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
}

impl Out for xxhash_rust::xxh3::Xxh3Default {
    fn put(&mut self, bytes: &[u8]) {
        self.update(bytes);
    }
}

const BOOL: u8 = 1;
const INT: u8 = 2;
const UINT: u8 = 3;
const FLOAT: u8 = 4;
const STR: u8 = 5;
const BYTES: u8 = 6;
const NONE: u8 = 7;
const SOME: u8 = 8;
const UNIT: u8 = 9;
const MAP: u8 = 10;
const SEQ: u8 = 11;
/// Closes a map or a sequence; no value starts with it.
pub(crate) const END: u8 = 12;
/// Opens the sequence [`encode`] makes of a `Vec` or slice.
pub(crate) const SEQ_START: u8 = SEQ;

/// Writes `value`'s encoding to `out`. Fails only where serde_json would
/// (a `Serialize` impl that returns an error), and then Tera's insert fails
/// the same way.
pub(crate) fn encode<T: Serialize + ?Sized>(out: &mut dyn Out, value: &T) -> Result<(), Error> {
    value.serialize(Encoder { out })
}

/// A `Serialize` impl refused its value.
#[derive(Debug)]
pub(crate) struct Error(String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

pub(crate) struct Encoder<'o, 'p> {
    out: &'o mut (dyn Out + 'p),
}

impl<'p> Encoder<'_, 'p> {
    fn tagged(&mut self, tag: u8, bytes: [u8; 8]) {
        let mut b = [0u8; 9];
        b[0] = tag;
        b[1..].copy_from_slice(&bytes);
        self.out.put(&b);
    }

    fn text(&mut self, tag: u8, bytes: &[u8]) {
        self.tagged(tag, (bytes.len() as u64).to_le_bytes());
        self.out.put(bytes);
    }

    /// A variant with data is a one-entry map from its name to the data,
    /// as serde_json writes it: this opens the map and writes the name.
    fn open_variant(&mut self, name: &str) {
        self.out.put(&[MAP]);
        self.text(STR, name.as_bytes());
    }

    fn again(&mut self) -> Encoder<'_, 'p> {
        Encoder { out: self.out }
    }
}

type R = Result<(), Error>;

/// Narrower numbers are written as the widest of their kind.
macro_rules! widened {
    ($($method:ident($t:ty) as $wide:ident;)*) => {$(
        fn $method(self, v: $t) -> R {
            self.$wide(v.into())
        }
    )*};
}

impl<'o, 'p> ser::Serializer for Encoder<'o, 'p> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    widened! {
        serialize_i8(i8) as serialize_i64;
        serialize_i16(i16) as serialize_i64;
        serialize_i32(i32) as serialize_i64;
        serialize_u8(u8) as serialize_u64;
        serialize_u16(u16) as serialize_u64;
        serialize_u32(u32) as serialize_u64;
        serialize_f32(f32) as serialize_f64;
    }
    fn serialize_bool(self, v: bool) -> R {
        self.out.put(&[BOOL, v as u8]);
        Ok(())
    }
    fn serialize_i64(mut self, v: i64) -> R {
        self.tagged(INT, v.to_le_bytes());
        Ok(())
    }
    fn serialize_u64(mut self, v: u64) -> R {
        self.tagged(UINT, v.to_le_bytes());
        Ok(())
    }
    fn serialize_f64(mut self, v: f64) -> R {
        self.tagged(FLOAT, v.to_bits().to_le_bytes());
        Ok(())
    }
    fn serialize_char(self, v: char) -> R {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(mut self, v: &str) -> R {
        self.text(STR, v.as_bytes());
        Ok(())
    }
    fn serialize_bytes(mut self, v: &[u8]) -> R {
        self.text(BYTES, v);
        Ok(())
    }
    fn serialize_none(self) -> R {
        self.out.put(&[NONE]);
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> R {
        self.out.put(&[SOME]);
        value.serialize(self)
    }
    fn serialize_unit(self) -> R {
        self.out.put(&[UNIT]);
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> R {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> R {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> R {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        mut self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> R {
        self.open_variant(variant);
        value.serialize(self.again())?;
        self.out.put(&[END]);
        Ok(())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self, Error> {
        self.out.put(&[SEQ]);
        Ok(self)
    }
    fn serialize_tuple(self, len: usize) -> Result<Self, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Self, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        mut self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self, Error> {
        self.open_variant(variant);
        self.out.put(&[SEQ]);
        Ok(self)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self, Error> {
        self.out.put(&[MAP]);
        Ok(self)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Error> {
        self.serialize_map(None)
    }
    fn serialize_struct_variant(
        mut self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self, Error> {
        self.open_variant(variant);
        self.out.put(&[MAP]);
        Ok(self)
    }
}

/// serde's compound forms: each an impl of its trait whose `end` writes the
/// marks that close it (a variant's also closes the one-entry map around
/// it). `values`: elements in a row; `fields`: named fields, whose names
/// are written too, so that a field left out (`skip_serializing_if`) does
/// not make the next one read as it.
macro_rules! compound {
    (impl $form:ident closed by $end:expr; $($method:item)*) => {
        impl ser::$form for Encoder<'_, '_> {
            type Ok = ();
            type Error = Error;
            $($method)*
            fn end(self) -> R {
                self.out.put($end);
                Ok(())
            }
        }
    };
    (values $($form:ident::$element:ident closed by $end:expr;)*) => {$(
        compound! { impl $form closed by $end;
            fn $element<T: Serialize + ?Sized>(&mut self, value: &T) -> R {
                value.serialize(self.again())
            }
        }
    )*};
    (fields $($form:ident closed by $end:expr;)*) => {$(
        compound! { impl $form closed by $end;
            fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> R {
                self.text(STR, key.as_bytes());
                value.serialize(self.again())
            }
        }
    )*};
}

compound! { values
    SerializeSeq::serialize_element closed by &[END];
    SerializeTuple::serialize_element closed by &[END];
    SerializeTupleStruct::serialize_field closed by &[END];
    SerializeTupleVariant::serialize_field closed by &[END, END];
}

compound! { fields
    SerializeStruct closed by &[END];
    SerializeStructVariant closed by &[END, END];
}

compound! { impl SerializeMap closed by &[END];
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> R {
        key.serialize(self.again())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> R {
        value.serialize(self.again())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    fn bytes<T: Serialize + ?Sized>(v: &T) -> Vec<u8> {
        let mut out = Vec::new();
        encode(&mut out, v).unwrap();
        out
    }

    #[derive(Serialize)]
    struct Two<'a> {
        #[serde(skip_serializing_if = "Option::is_none")]
        a: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        b: Option<&'a str>,
    }

    #[derive(Serialize)]
    enum E {
        Unit,
        New(u8),
        Tuple(u8, u8),
        Struct { x: u8 },
    }

    /// Values that serde_json writes differently must encode differently,
    /// including those whose strings could run into each other.
    #[test]
    fn different_values_encode_differently() {
        let values: Vec<Vec<u8>> = vec![
            bytes(&("ab", "c")),
            bytes(&("a", "bc")),
            bytes(&["a", "b"]),
            bytes(&[["a"], ["b"]]),
            bytes(&[vec!["a", "b"], vec![]]),
            bytes(&[vec!["a"], vec!["b", ""]]),
            bytes(&Two {
                a: Some("x"),
                b: None,
            }),
            bytes(&Two {
                a: None,
                b: Some("x"),
            }),
            bytes(&Two { a: None, b: None }),
            bytes(&E::Unit),
            bytes(&E::New(1)),
            bytes(&E::Tuple(1, 2)),
            bytes(&E::Struct { x: 1 }),
            bytes(&Some(1u8)),
            bytes(&1u8),
            bytes(&-1i8),
            bytes(&1.0f64),
            bytes(&true),
            bytes(&()),
            bytes(&None::<u8>),
            bytes(&""),
            bytes(&"\"a\""),
            bytes(&std::collections::BTreeMap::from([("k", "v")])),
            bytes(&std::collections::BTreeMap::from([("kv", "")])),
        ];
        for (i, a) in values.iter().enumerate() {
            for (j, b) in values.iter().enumerate() {
                if i != j {
                    assert_ne!(a, b, "values {i} and {j}");
                }
            }
        }
        // `E::Unit` is written as its name, as serde_json writes it.
        assert_eq!(bytes(&E::Unit), bytes(&"Unit"));
        assert_eq!(bytes(&1u8), bytes(&1u64), "one integer type for all widths");
    }

    #[test]
    fn a_sequence_is_its_start_mark_elements_and_end() {
        let items = ["甲", "乙"];
        let mut by_hand = vec![SEQ_START];
        for i in items {
            by_hand.extend(bytes(i));
        }
        by_hand.push(END);
        assert_eq!(bytes(&items[..]), by_hand);
        assert_eq!(bytes(&items.to_vec()), by_hand);
    }
}
