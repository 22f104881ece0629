//! `bulletin` of `site.yaml`: the sender, the recipients, the personal mails and `smtp`.
use super::{Block, Choice};
use crate::diag::t;
use crate::model::{BulletinConfig, Security, SmtpConfig};
use crate::validate::check::V;

/// The bulletin settings of the block `b`; `None` without a sender (reported when the block
/// is written). `font`, beside them in the block, is read by the root.
pub(super) fn bulletin(c: &mut V, b: &Block) -> Option<BulletinConfig> {
    let lang = c.lang;
    let from = b.required_text(c, "from");
    if let Some(f) = from.as_deref().filter(|f| !f.trim().is_empty()) {
        if let Err(e) = f.parse::<lettre::message::Mailbox>() {
            c.err(
                b.at("from"),
                t!(
                    lang,
                    "发件人应为邮箱地址，如 \"绩效通报 <kpi@example.com>\"，实际是 \"{}\"（{}）",
                    "the sender must be an email address such as \"KPI <kpi@example.com>\", found \"{}\" ({})",
                    f,
                    e
                ),
            );
        }
    }
    let mut to = Vec::new();
    let list = b.list(c, "to");
    let tp = b.at("to");
    for (i, v) in list.iter().enumerate() {
        match v.as_str() {
            Some(s) if s.parse::<lettre::message::Mailbox>().is_ok() => to.push(s.to_string()),
            _ => {
                let d = c.describe(v);
                c.err(
                    tp.i(i),
                    t!(
                        lang,
                        "收件人应为邮箱地址，实际是 {}",
                        "a recipient must be an email address, found {}",
                        d
                    ),
                );
            }
        }
    }
    let personal = b.boolean(c, "personal").unwrap_or(false);
    let personal_pay = b.boolean(c, "personal_pay").unwrap_or(false);
    let smtp_block = b.block("smtp");
    let smtp = smtp(c, &smtp_block);
    smtp_block.finish(c);
    Some(BulletinConfig {
        from: from?,
        to,
        personal,
        personal_pay,
        smtp,
    })
}

/// `bulletin.smtp`: the server, its port (by default that of its security) and the names of
/// the environment variables that hold the login.
fn smtp(c: &mut V, s: &Block) -> Option<SmtpConfig> {
    s.map()?;
    let host = s.required_text(c, "host");
    let port = s.int(c, "port", 1).map(|x| x.min(65535) as u16);
    let words = [
        ("starttls", Security::StartTls),
        ("tls", Security::Tls),
        ("none", Security::None),
    ];
    let security = match s.choice(c, "security", &words, |c, v| {
        let found = match v.as_str() {
            Some(s) => format!("\"{s}\""),
            None => c.describe(v),
        };
        t!(
            c.lang,
            "\"security\" 应为 starttls、tls 或 none，实际是 {}",
            "\"security\" must be starttls, tls or none, found {}",
            found
        )
    }) {
        Choice::Is(security) => security,
        Choice::Absent | Choice::Wrong => Security::StartTls,
    };
    let username_env = s.text(c, "username_env");
    let password_env = s.text(c, "password_env");
    let port = port.unwrap_or(match security {
        Security::Tls => 465,
        Security::StartTls => 587,
        Security::None => 25,
    });
    Some(SmtpConfig {
        host: host?,
        port,
        security,
        username_env,
        password_env,
    })
}

#[cfg(test)]
mod tests {
    use super::super::super::testing::{check, expect};
    use super::super::site_config;
    use crate::diag::Lang;

    const SITE: &str = "title: T\nindicators: [{id: s, name: S, method: percent, weight: 1}]\n";

    #[test]
    fn bulletin_addresses_and_smtp() {
        let yaml = format!("{SITE}bulletin:\n  from: not an address\n  to: [a@example.com, nobody]\n  smtp: {{host: mail.example.com, security: ssl}}\n");
        let (c, p) = check(Lang::En, &yaml, |c, v| site_config(c, v, None));
        assert_eq!(p.len(), 3, "{p:?}");
        assert_eq!(p[0].0, "bulletin.from");
        assert!(p[0].1.starts_with("the sender must be an email address such as \"KPI <kpi@example.com>\", found \"not an address\""), "{}", p[0].1);
        assert_eq!(
            p[1..],
            expect(&[
                (
                    "bulletin.to[1]",
                    "a recipient must be an email address, found \"nobody\" (text)"
                ),
                (
                    "bulletin.smtp.security",
                    "\"security\" must be starttls, tls or none, found \"ssl\""
                ),
            ])
        );
        let b = c.unwrap().bulletin.unwrap();
        assert_eq!(b.to, ["a@example.com"]);
        assert_eq!(b.smtp.unwrap().port, 587);
    }

    /// The port follows the security unless written, and is capped at 65535.
    #[test]
    fn smtp_port_by_security() {
        for (smtp, port) in [
            ("{host: h, security: tls}", 465),
            ("{host: h, security: none}", 25),
            ("{host: h}", 587),
            ("{host: h, security: tls, port: 2525}", 2525),
            ("{host: h, port: 70000}", 65535),
        ] {
            let yaml = format!("{SITE}bulletin: {{from: a@example.com, smtp: {smtp}}}\n");
            let (c, p) = check(Lang::En, &yaml, |c, v| site_config(c, v, None));
            assert_eq!(p, [], "{smtp}");
            assert_eq!(
                c.unwrap().bulletin.unwrap().smtp.unwrap().port,
                port,
                "{smtp}"
            );
        }
    }

    /// A `security` that is not a word is reported: it was taken as starttls without a word,
    /// sending the login where the user may have asked for TLS.
    #[test]
    fn a_security_that_is_not_a_word_is_reported() {
        let yaml =
            format!("{SITE}bulletin: {{from: a@example.com, smtp: {{host: h, security: true}}}}\n");
        let (_, p) = check(Lang::En, &yaml, |c, v| site_config(c, v, None));
        assert_eq!(
            p,
            expect(&[(
                "bulletin.smtp.security",
                "\"security\" must be starttls, tls or none, found true (a boolean)"
            )])
        );
    }
}
