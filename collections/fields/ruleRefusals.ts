/** The form component that pins a booking rule's refusal to the field it names (src/admin/ruleErrors). */
export const RULE_REFUSAL_ON_FIELD = '/admin/ruleErrors/RuleRefusalOnField#RuleRefusalOnField'
