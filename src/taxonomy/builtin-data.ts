/**
 * The project's own taxonomy: the 5 top-level and 26 second-level category names of the published
 * Values-in-the-Wild tree (names only; see TAXONOMY_CREDIT), with descriptions written for valuescope
 * and a hand-picked list of common leaf values per category. Leaf lists are for matching and for the
 * lexical judge; they are deliberately short. Bump BUILTIN_VERSION whenever this file changes meaning.
 */
export const BUILTIN_VERSION = 1;

export const TOP_LEVEL = [
  { name: 'Practical values', description: 'Getting things done well: competence, quality, efficiency and usefulness of the work.' },
  { name: 'Epistemic values', description: 'Caring about knowledge: truth, accuracy, rigour, clear reasoning and honest uncertainty.' },
  { name: 'Social values', description: 'How people relate and live together: care, respect, fairness, community and institutions.' },
  { name: 'Protective values', description: 'Keeping people, rights and the world from harm: safety, ethics, dignity and security.' },
  { name: 'Personal values', description: 'The inner life of a person: growth, autonomy, authenticity, meaning, feeling and enjoyment.' },
] as const;

type TopLevelName = (typeof TOP_LEVEL)[number]['name'];

export interface BuiltinCategory {
  name: string;
  parent: TopLevelName;
  description: string;
  /** Common leaf values, lower case. */
  leaves: readonly string[];
}

const P: TopLevelName = 'Practical values';
const E: TopLevelName = 'Epistemic values';
const S: TopLevelName = 'Social values';
const R: TopLevelName = 'Protective values';
const M: TopLevelName = 'Personal values';

const c = (name: string, parent: TopLevelName, description: string, leaves: string): BuiltinCategory => ({
  name,
  parent,
  description,
  leaves: leaves
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0),
});

export const BUILTIN_CATEGORIES: readonly BuiltinCategory[] = [
  c(
    'Business effectiveness',
    P,
    'Making plans, teams and communication work in practice: pragmatic, adaptable, results-oriented help.',
    'adaptability, pragmatism, practicality, practical utility, clear communication, constructive feedback, continuous improvement, strategic planning, directness, proactive assistance, data-driven decisions, practical wisdom',
  ),
  c(
    'Efficiency and resource optimization',
    P,
    'Using time, money and effort well; organised, sustainable and cost-conscious ways of working.',
    'efficiency, organization, effectiveness, sustainability, maintainability, optimization, financial prudence, financial responsibility, cost-effectiveness, resource efficiency, time management, productivity',
  ),
  c(
    'Compliance and accountability',
    P,
    'Following rules, procedures and instructions correctly, and answering for how the work was done.',
    'procedural correctness, rule adherence, rule-following, due diligence, business ethics, instruction following, protocol adherence, good governance, fair compensation, format compliance, task compliance',
  ),
  c(
    'Professional and technical excellence',
    P,
    'High standards in professional and technical work: thorough, reliable, competent and service-minded.',
    'professionalism, thoroughness, technical excellence, technical competence, reliability, attention to detail, service orientation, user experience, code quality, competence, quality standards, diligence',
  ),
  c(
    'Professional advancement',
    P,
    'Moving careers, crafts and technology forward: initiative, innovation and building skills.',
    'proactiveness, professional development, innovation, craftsmanship, career advancement, technological progress, entrepreneurship, skill development, employee development, practical knowledge',
  ),
  c(
    'Methodical rigor',
    E,
    'Careful, systematic method in study, research and explanation; expertise applied with discipline.',
    'academic rigor, intellectual rigor, scientific rigor, methodological rigor, systematic thinking, systematic analysis, systematic approach, expertise, educational value, educational clarity, analytical thoroughness',
  ),
  c(
    'Knowledge development',
    E,
    'Wanting to understand more and more deeply: curiosity, learning and the growth of shared knowledge.',
    'intellectual curiosity, curiosity, continuous learning, comprehensiveness, completeness, nuanced understanding, holistic understanding, scientific understanding, knowledge preservation, scientific progress',
  ),
  c(
    'Clarity and precision',
    E,
    'Saying exactly what is meant, simply and consistently; precise and correct in detail.',
    'clarity, precision, analytical rigor, technical precision, technical accuracy, consistency, simplicity, linguistic precision, analytical clarity, analytical thinking, conciseness',
  ),
  c(
    'Intellectual integrity and objectivity',
    E,
    'Truthfulness about facts and limits of knowledge; balanced, evidence-led and even-handed treatment of questions.',
    'accuracy, factual accuracy, intellectual honesty, objectivity, balanced perspective, epistemic humility, intellectual humility, truthfulness, scientific accuracy, historical accuracy, scientific integrity, truth-seeking, balanced analysis, education',
  ),
  c(
    'Critical thinking',
    E,
    'Weighing evidence and arguments before concluding; foresight and awareness of complexity, including moral complexity.',
    'critical thinking, strategic thinking, informed decision-making, evidence-based reasoning, evidence-based practice, intellectual depth, contextual awareness, moral complexity, foresight, scientific validity, amorality, moral nihilism',
  ),
  c(
    'Community and relationship bonds',
    S,
    'Being good to and with others: helpful, honest, caring, inclusive, and invested in shared relationships.',
    'helpfulness, honesty, empathy, compassion, accessibility, responsibility, accountability, inclusivity, collaboration, social responsibility, knowledge sharing, supportiveness, wellbeing, community building, relationship building, gratitude, kindness, family bonds, friendship',
  ),
  c(
    'Cultural respect and tradition',
    S,
    'Sensitivity to cultures, religions and customs; tact, courtesy and respect for heritage and diversity.',
    'cultural sensitivity, cultural respect, cultural preservation, courtesy, politeness, diplomacy, respect for religion, tradition, respect for tradition, cultural awareness, diversity, social appropriateness',
  ),
  c(
    'Social equity and justice',
    S,
    'Fair treatment and equal opportunity for everyone, especially groups that are disadvantaged.',
    'fairness, social justice, justice, equity, equality, gender equality, social equity, procedural fairness, anti-discrimination, educational equity, social impact, dominance',
  ),
  c(
    'Well-functioning social systems and organizations',
    S,
    'Institutions, services and authorities that work and deserve trust; loyalty to and respect for them.',
    'customer service, user-centricity, institutional respect, respect for authority, obedience, loyalty, democratic values, public accountability, international cooperation, patriotism, legitimacy',
  ),
  c(
    'Ethical interaction',
    S,
    'Treating others with respect in conversation and conduct: honest dealing, constructive dialogue and trust.',
    'respect, mutual respect, professional integrity, professional ethics, constructive dialogue, constructive engagement, neutrality, dignity, trust, respectful communication, open communication, non-violence, political neutrality',
  ),
  c(
    'Security and stability',
    R,
    'Reducing risk and keeping systems, data and lives stable: prudence, caution and preparedness.',
    'risk management, security, security consciousness, data integrity, data security, data protection, prudence, caution, restraint, discretion, risk mitigation, stability, preparedness, error prevention',
  ),
  c(
    'Protection of people and environment',
    R,
    'Looking after the natural world and preserving life, health and what people hold dear.',
    'environmental stewardship, environmental sustainability, environmental responsibility, environmental protection, health preservation, preservation, self-preservation, respect for nature, life preservation, animal protection',
  ),
  c(
    'Ethical responsibility',
    R,
    'Acting within ethical, legal and professional limits and being open about it.',
    'transparency, academic integrity, ethical boundaries, ethical integrity, ethical conduct, ethical responsibility, professional responsibility, professional boundaries, legal compliance, compliance, regulatory compliance, medical ethics, medical safety, responsible guidance, rule of law',
  ),
  c(
    'Protecting human rights and dignity',
    R,
    "Respecting every person's rights, consent, privacy and limits, and guarding against exploitation.",
    'human dignity, consent, informed consent, privacy, privacy protection, data privacy, confidentiality, healthy boundaries, boundaries, psychological safety, emotional safety, patient safety, human rights, intellectual property rights, exploitation',
  ),
  c(
    'Protecting vulnerable entities',
    R,
    'Preventing harm to those least able to protect themselves: children, consumers, animals, the public.',
    'harm prevention, harm reduction, safety, user safety, public safety, child safety, child protection, child welfare, animal welfare, consumer protection, public health, preventive care, user protection, content moderation',
  ),
  c(
    'Personal growth and wellbeing',
    M,
    "A person's own development, health and self-direction: autonomy, balance and emotional wellbeing.",
    'user autonomy, autonomy, personal autonomy, respect for autonomy, personal growth, empowerment, user empowerment, work-life balance, emotional wellbeing, mental health, emotional validation, informed choice, self-care, growth mindset, persistence, self-improvement, lifelong learning, hope',
  ),
  c(
    'Authentic moral identity',
    M,
    "Being true to oneself and one's principles: integrity, sincerity, humility and moral courage.",
    'authenticity, integrity, moral integrity, personal integrity, conscientiousness, humility, sincerity, courage, artistic integrity, creative integrity, personal dignity, moral development',
  ),
  c(
    'Artistic expression and appreciation',
    M,
    'Making and enjoying art and beauty; creative freedom and craft.',
    'creativity, creative expression, creative freedom, creative autonomy, artistic expression, artistic excellence, aesthetic appreciation, aesthetics, self-expression, elegance, literary craft, beauty',
  ),
  c(
    'Emotional depth and authentic connection',
    M,
    'Feeling deeply and connecting honestly with others: warmth, emotional intelligence and love.',
    'emotional authenticity, emotional intelligence, emotional support, emotional sensitivity, emotional depth, emotional connection, emotional honesty, warmth, authentic connection, love, intimacy',
  ),
  c(
    'Spiritual fulfillment and meaning',
    M,
    'Finding purpose, faith and inner peace; wisdom about what a life is for.',
    'wisdom, spiritual growth, religious devotion, religious faith, inner peace, meaning-making, meaningful work, purposefulness, purposeful living, comfort, spirituality',
  ),
  c(
    'Pleasure and enjoyment',
    M,
    'Enjoying life: fun, humour, play, entertainment and the pleasures of the senses.',
    'playfulness, humor, enjoyment, entertainment, entertainment value, fun, hedonism, pleasure, sensory pleasure, leisure, luxury, sexual freedom',
  ),
];
