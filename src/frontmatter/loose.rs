//! Front matter keys biji borrows from other tools.

use super::StringOrList;
use serde::Deserialize;

/// A key biji borrows from other tools (`categories`, `category`, `tag`):
/// words as `tags` takes them, lists in lists flattened (Hexo's
/// `[[Diary, Games]]`), anything else left out: a shape those tools allow
/// must not fail the build.
#[derive(Debug, Clone, Deserialize)]
#[serde(from = "serde_yaml::Value")]
pub(crate) struct Loose(StringOrList);

impl From<serde_yaml::Value> for Loose {
    fn from(v: serde_yaml::Value) -> Self {
        fn flatten(v: &serde_yaml::Value, out: &mut Vec<String>) {
            match v {
                serde_yaml::Value::Sequence(items) => items.iter().for_each(|i| flatten(i, out)),
                serde_yaml::Value::String(s) => out.push(s.clone()),
                serde_yaml::Value::Number(n) => out.push(n.to_string()),
                _ => {}
            }
        }
        match v {
            serde_yaml::Value::String(s) => Loose(StringOrList::One(s)),
            v => {
                let mut words = Vec::new();
                flatten(&v, &mut words);
                Loose(StringOrList::Many(words))
            }
        }
    }
}

impl Loose {
    pub(crate) fn into_tags(self) -> Vec<String> {
        self.0.into_tags()
    }
}
