//! The first note `biji init` puts into `notes/`: a short guide to writing
//! notes, in the language most users of biji write in.

pub(super) fn welcome_note(today: &str) -> String {
    format!(
        r#"---
title: 欢迎使用 biji
date: {today}
tags: [biji]
---

# 欢迎使用 biji

这是 `biji init` 创建的第一篇笔记，放在 `notes/` 文件夹里。每个 Markdown 文件是一篇笔记，子文件夹就是目录。改写或删掉这篇，再添加你自己的笔记。

## 常用命令

```sh
biji build      # 生成网站到 public/
biji check      # 检查网站里每个内部链接和锚点
```

## 写笔记

- 开头的 `---` 之间是 front matter：`title`、`date`、`updated`、`tags`、`description`，以及 `draft: true`（草稿不会发布，`biji build --drafts` 可以预览）。
- 链接到别的笔记：写相对路径 `[装饰器](python/装饰器.md)`，或 wikilink `[[装饰器]]`；链接到标题：`[装饰器](python/装饰器.md#用法)`。失效的链接会在构建时报出文件和行号。
- 图片等文件放在笔记旁边，用相对路径引用：`![示意图](images/diagram.png)`。

设置项都在 `biji.yaml` 里，每一项都有注释和默认值。
"#
    )
}
