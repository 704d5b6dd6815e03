//! The named contracts, one per seed system, and the defaults each chooses.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use super::*;

/// The named contracts, one per seed system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    Standard,
    Fiskl,
    Fiskil,
    InvoiceMaker,
    Hisab,
}

impl Preset {
    pub const NAMES: &'static str = "standard, fiskl, fiskil, invoice-maker, hisab";

    pub fn name(self) -> &'static str {
        match self {
            Preset::Standard => "standard",
            Preset::Fiskl => "fiskl",
            Preset::Fiskil => "fiskil",
            Preset::InvoiceMaker => "invoice-maker",
            Preset::Hisab => "hisab",
        }
    }

    /// The preset's event catalogue, in the catalogue file format (`catalogues/<name>.json`).
    pub fn catalogue(self) -> Option<&'static str> {
        match self {
            Preset::Standard => None,
            Preset::Fiskl => Some(include_str!("../../../../catalogues/fiskl.json")),
            Preset::Fiskil => Some(include_str!("../../../../catalogues/fiskil.json")),
            Preset::InvoiceMaker => Some(include_str!("../../../../catalogues/invoice-maker.json")),
            Preset::Hisab => Some(include_str!("../../../../catalogues/hisab.json")),
        }
    }

    /// Everything the preset decides, each of which the configuration may override.
    pub fn defaults(self) -> PresetDefaults {
        let mins = |m: &[u64]| m.iter().map(|m| Duration::from_secs(m * 60)).collect();
        let standard = PresetDefaults {
            profile: DeliveryProfile::default(),
            retry_schedule: [5, 300, 1800, 7200, 18000, 36000, 36000]
                .into_iter()
                .map(Duration::from_secs)
                .collect(),
            request_timeout: Duration::from_secs(15),
            auto_disable_after: 100,
            auto_disable_min_failing: A_DAY,
        };
        match self {
            Preset::Standard => standard,
            // Fiskl's portal is a Svix-style one: Standard Webhooks, with its own envelope.
            Preset::Fiskl => PresetDefaults {
                profile: DeliveryProfile {
                    preset: self,
                    envelope: Envelope::IdTypeCreatedAt,
                    ..DeliveryProfile::default()
                },
                ..standard
            },
            // "Up to 5 times with backoff intervals between 1 to 10 minutes", then discarded.
            Preset::Fiskil => PresetDefaults {
                profile: DeliveryProfile {
                    preset: self,
                    signature: SignatureScheme::BodyBase64 {
                        header: "X-Fiskil-Signature".into(),
                    },
                    secret_format: SecretFormat::Base64,
                    envelope: Envelope::PublishTime,
                    retry_jitter: 0.0,
                    ..DeliveryProfile::default()
                },
                retry_schedule: mins(&[1, 2, 4, 8, 10]),
                ..standard
            },
            // 10 s to answer, 5 retries with exponential backoff, disabled after 100 failures
            // in a row; the secret is shown once and a rotation ends the old one at once.
            Preset::InvoiceMaker => PresetDefaults {
                profile: DeliveryProfile {
                    preset: self,
                    secret_format: SecretFormat::Hex,
                    envelope: Envelope::TypeData,
                    secret_shown_once: true,
                    rotation_grace: Some(Duration::ZERO),
                    ..DeliveryProfile::default()
                },
                retry_schedule: mins(&[1, 2, 4, 8, 16]),
                request_timeout: Duration::from_secs(10),
                auto_disable_after: 100,
                auto_disable_min_failing: A_DAY,
            },
            // ~1 min, 5 min, 15 min, 1 h, 4 h with about 20% jitter, 30 s to answer.
            Preset::Hisab => PresetDefaults {
                profile: DeliveryProfile {
                    preset: self,
                    signature: SignatureScheme::TimestampHex,
                    secret_format: SecretFormat::Text,
                    envelope: Envelope::EventOrganization,
                    event_header: Some("X-Webhook-Event".into()),
                    delivery_id_header: Some("X-Webhook-Delivery-Id".into()),
                    user_agent: Some("Hisab-Webhooks/1.0".into()),
                    retry_jitter: 0.2,
                    ..DeliveryProfile::default()
                },
                retry_schedule: mins(&[1, 5, 15, 60, 240]),
                request_timeout: Duration::from_secs(30),
                auto_disable_after: 100,
                auto_disable_min_failing: A_DAY,
            },
        }
    }
}

impl FromStr for Preset {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s {
            "standard" => Preset::Standard,
            "fiskl" => Preset::Fiskl,
            "fiskil" => Preset::Fiskil,
            "invoice-maker" => Preset::InvoiceMaker,
            "hisab" => Preset::Hisab,
            _ => return Err(format!("'{s}' is not one of: {}", Preset::NAMES)),
        })
    }
}

impl fmt::Display for Preset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A preset's choices, before the configuration overrides any of them.
#[derive(Debug, Clone)]
pub struct PresetDefaults {
    pub profile: DeliveryProfile,
    pub retry_schedule: Vec<Duration>,
    pub request_timeout: Duration,
    pub auto_disable_after: u32,
    /// The least time an endpoint must have been failing before it is disabled automatically,
    /// as well as its count of failures.
    pub auto_disable_min_failing: Duration,
}

/// No seed states how long an endpoint must fail before it is disabled (Invoice Maker counts
/// only failures), so every preset waits out a day: an outage over a night or a deploy gone
/// wrong never turns into a disabled endpoint, however busy the company is.
const A_DAY: Duration = Duration::from_secs(24 * 3600);

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Preset; 5] = [
        Preset::Standard,
        Preset::Fiskl,
        Preset::Fiskil,
        Preset::InvoiceMaker,
        Preset::Hisab,
    ];

    #[test]
    fn every_preset_disables_only_after_a_day_failing_and_its_count() {
        for p in ALL {
            let d = p.defaults();
            assert_eq!(d.auto_disable_min_failing, A_DAY, "{p}");
            assert_eq!(d.auto_disable_after, 100, "{p}");
        }
    }

    #[test]
    fn presets_keep_their_documented_timeouts_and_retries() {
        let secs = |p: Preset| p.defaults().request_timeout.as_secs();
        assert_eq!(
            ALL.map(secs),
            [15, 15, 15, 10, 30],
            "standard, fiskl, fiskil, invoice-maker, hisab"
        );
        let mins = |p: Preset| {
            p.defaults()
                .retry_schedule
                .iter()
                .map(|d| d.as_secs() / 60)
                .collect::<Vec<_>>()
        };
        assert_eq!(mins(Preset::Fiskil), [1, 2, 4, 8, 10]);
        assert_eq!(mins(Preset::InvoiceMaker), [1, 2, 4, 8, 16]);
        assert_eq!(mins(Preset::Hisab), [1, 5, 15, 60, 240]);
    }

    #[test]
    fn preset_names_read_back() {
        for p in ALL {
            assert_eq!(p.name().parse::<Preset>(), Ok(p));
        }
    }
}
