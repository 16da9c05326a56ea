//! biji (笔记): a static site generator for Markdown study notes.
//!
//! Data flows one way: `config` -> `discover` -> `site` (front matter and a
//! cheap Markdown scan of every note) -> `links` (resolve and check) ->
//! `markdown::render` per note in parallel (highlighting) -> `pages`
//! (templates) -> `output` (staged, then swapped in).

pub mod build;
pub mod check;
pub mod collate;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod frontmatter;
pub mod highlight;
pub mod history;
pub mod i18n;
pub mod init;
pub mod links;
pub mod markdown;
pub mod model;
pub mod new_note;
pub mod output;
pub mod pages;
pub mod publish;
pub mod search;
pub mod serve;
pub mod site;
pub mod templates;
pub mod topics;
pub mod url;

pub use build::{build, BuildOptions, BuildReport};
