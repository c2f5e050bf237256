//! The coded event and its provenance.

use crate::Span;
use serde::{Deserialize, Serialize};

/// An actor as found in the text: its resolved CAMEO actor code and where it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActorMention {
    /// Full CAMEO actor code: country or group (3 letters) plus role codes, e.g. `RUSGOV`, `IGOUNO`.
    pub code: String,
    /// Canonical name of the dictionary entry ("Vladimir Putin", "Russia").
    pub name: String,
    /// The words that name the actor (for a pronoun: the pronoun).
    pub text: String,
    pub span: Span,
    /// Dictionary entry that gave the code, as `file:line name`.
    pub entry: String,
    /// Set when the actor was resolved from a pronoun or description: the antecedent's text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub antecedent: Option<String>,
    /// Where the actor is, as GDELT's Actor1Geo/Actor2Geo: the place phrase hanging from the
    /// actor's words, else the place named nearest to them in the sentence, else the dateline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<EventPlace>,
}

/// The verb pattern that fired.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VerbMatch {
    /// Words that carried the event.
    pub text: String,
    pub span: Span,
    /// Pattern id: `file:line`.
    pub pattern_id: String,
    /// The pattern as written in the dictionary.
    pub pattern: String,
    /// The tree relations that gave the source and target ("nsubj obj", "obl:agent
    /// nsubj:pass"); empty when none were read (events stored by an older dyad).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub relations: String,
}

/// Where an event happened, as the gazetteer resolved a place named in the text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventPlace {
    /// The words that name the place.
    pub text: String,
    pub span: Span,
    /// "City, Division, Country", "Division, Country" or "Country" (GDELT's FullName).
    pub name: String,
    /// GDELT's resolution: 1 country, 2 US state, 3 US city, 4 world city, 5 world state.
    pub geo_type: u8,
    /// FIPS 10-4 country code (GDELT's CountryCode).
    pub country_code: String,
    /// ISO 3166-1 alpha-2 country code.
    pub iso: String,
    /// FIPS country code and division code ("IZ15", "USTX"); empty for a country.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub adm1: String,
    /// GDELT's ADM2 code where the gazetteer has it: a US county ("TX201").
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub adm2: String,
    pub lat: f64,
    pub lon: f64,
    /// GDELT's FeatureID: the country or division code, or the place's GeoNames id.
    pub feature_id: String,
    /// How the place was tied to the event or actor: `event` (a phrase under the event's words),
    /// `actor` (under the actor's words), `sentence` (elsewhere in its sentence) or `dateline`.
    pub resolution: String,
    /// The gazetteer line that gave it, as `file:line`.
    pub entry: String,
}

/// One CAMEO event with full provenance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub doc_id: String,
    /// Index of the sentence within the document.
    pub sentence: u32,
    pub sentence_span: Span,
    pub sentence_text: String,
    /// Event date, `YYYY-MM-DD`, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// CAMEO event code (`0` padded, 2 to 4 digits).
    pub code: String,
    /// The code of the pattern that fired, when refusal, intent, threat or obligation changed it
    /// ("refused to meet": pattern 040, event 125).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_code: Option<String>,
    pub label: String,
    pub goldstein: f32,
    pub quad_class: u8,
    /// Who acted. An empty `code` means no actor in the text is named as the doer ("a roadside
    /// bomb killed two soldiers"); GDELT writes such events with an empty Actor1.
    pub source: ActorMention,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<ActorMention>,
    pub verb: VerbMatch,
    pub negated: bool,
    /// The modal or intent word that qualifies the event ("may", "threatened to", "plans to").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modality: Option<String>,
    /// Who reported it, outermost first: "Lavrov said that Trump said ..." gives [Lavrov, Trump].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attribution: Vec<ActorMention>,
    /// Where it happened, when the text names a place the gazetteer knows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<EventPlace>,
    /// The tone of its document, as GDELT's AvgTone (-100 to +100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tone: Option<f64>,
    /// How many sentences of the document carried this same event.
    pub mentions: u32,
    pub dict_version: String,
}

impl Event {
    /// The CAMEO root code (first two digits).
    pub fn root(&self) -> &str {
        self.code.get(..2).unwrap_or(&self.code)
    }
}
