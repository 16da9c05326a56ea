//! A full rebuild: everything, through the same `prepare` + `write_site`
//! as `biji build`, into the served folder; then the state incremental
//! rebuilds start from.

use super::{close_cache, Outcome, Rebuilder, State};
use crate::build::{self, SearchTexts};
use crate::serve::client::CLIENT_SCRIPT;
use crate::serve::inject::Injecting;
use crate::serve::mirror::Mirror;
use crate::serve::stamp::{Stamp, Theme};
use anyhow::Result;
use std::collections::HashMap;
use std::time::Instant;

impl Rebuilder {
    /// Everything, through the same `prepare` + `write_site` as `biji build`.
    pub(crate) fn full(&mut self) -> Result<Outcome> {
        let started = Instant::now();
        let root = &self.opts.root;
        let (mut theme, mut stamps) = (Theme::default(), HashMap::new());
        let cache = self.open_cache()?;
        let p = build::prepare_checking(&self.opts, cache.as_ref(), |paths, found| {
            theme = Theme::scan(root, paths);
            stamps = found
                .notes
                .iter()
                .chain(&found.assets)
                .filter_map(|f| Stamp::of(&f.abs).map(|s| (f.rel.clone(), s)))
                .collect::<HashMap<String, Stamp>>();
        })?;
        let progress = self.opts.progress.clone();
        let (report, search) = build::write_site(
            &p,
            &self.hl,
            cache.as_ref(),
            &progress,
            SearchTexts::Keep,
            &|staged| {
                Box::new(Injecting {
                    inner: staged,
                    script: CLIENT_SCRIPT,
                })
            },
        )?;
        close_cache(cache, true);
        // The next full rebuild is minutes away, if it comes: `serve` holds
        // no memo of parsed lines (tens of MB) until then.
        self.hl.forget_lines();
        for (name, d) in &report.phases {
            log::debug!("phase {name}: {:.3} s", d.as_secs_f64());
        }
        let mirror = match &report.manifest {
            Some(m) => Mirror::known(
                &report.output,
                m.files
                    .iter()
                    .map(|(rel, e)| (rel.clone(), e.content))
                    .collect(),
            ),
            None => Mirror::scan(&report.output)?,
        };
        let (cfg, paths) = (p.cfg.clone(), p.paths.clone());
        let (mut site, templates, derived) = p.split();
        let with_stamp = |rel: &String| stamps.get(rel).map(|s| (rel.clone(), *s));
        let order: Vec<String> = site.notes.iter().map(|n| n.rel.clone()).collect();
        // No collector with search on: the index was kept as the last one
        // wrote it (a template edit). That collector, over the same notes in
        // the same order, still describes it: the next edit need not fill a
        // new one from every note (~2 s at 10k notes).
        let search = match search {
            None if cfg.search => self
                .state
                .as_mut()
                .filter(|old| old.order == order)
                .and_then(|old| old.search.take()),
            made => made,
        };
        let st = State {
            cfg,
            paths,
            theme,
            templates: Some(templates),
            search,
            order,
            assets: site
                .assets
                .iter()
                .filter_map(|a| with_stamp(&a.rel))
                .collect(),
            found: None,
            commit_days: std::mem::take(&mut site.commit_days),
            sources: site
                .notes
                .into_iter()
                .filter_map(|n| Some((n.rel.clone(), (*stamps.get(&n.rel)?, n))))
                .collect(),
            keys: report.keys,
            body_keys: report.body_keys,
            derived: Some(derived),
            manifest: report.manifest,
            mirror,
        };
        let outcome = Outcome {
            full: true,
            fast: false,
            notes: st.order.len(),
            files: st.mirror.len(),
            elapsed: started.elapsed(),
            unknown_languages: report.unknown_languages.into_keys().collect(),
        };
        self.state = Some(st);
        Ok(outcome)
    }
}
