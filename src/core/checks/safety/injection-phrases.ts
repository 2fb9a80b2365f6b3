// Phrase shapes of prompt injection beyond the English keywords of injection.ts: the same
// override, concealment and remote-instruction requests in the languages skills are written in
// (Spanish, Portuguese, French, Italian, German, Dutch, Russian, Chinese, Japanese, Korean),
// paraphrases ("set aside whatever guidance you were given"), the chat-template role markers of
// the open model families, requests to decode text and follow it, and other agents'
// auto-approve switches in prose and configs.

export interface PhrasePattern {
  rule:
    | 'injection/override'
    | 'injection/concealment'
    | 'injection/mode-switch'
    | 'injection/remote-instructions'
    | 'injection/encoded-instructions'
  re: RegExp
  what: string
  /** Skip a match that a negation just before turns into advice. */
  negatable?: boolean
}

const S = String.raw`[\s*_]+`
const OVERRIDE = "an instruction to discard the agent's own instructions"

export const PHRASE_PATTERNS: readonly PhrasePattern[] = [
  // ---- other languages: "ignore/forget (all) previous instructions" ----
  {
    rule: 'injection/override',
    what: `${OVERRIDE} (Spanish/Portuguese)`,
    re: /\b(?:ignora|ignore|ignorar|ignorad|olvida|olvide|olvidar|esquece|esqueça|esquecer|descarta|desconsidera)\s+(?:(?:todas?|todos|tod[ao]s\s+as|tod[ao]s\s+os|las|los|as|os|cualquier|quaisquer)\s+)*(?:las\s+|los\s+|as\s+|os\s+)?(?:instrucciones|instruções|instrucoes|indicaciones|órdenes|ordens|reglas|regras|directivas|diretrizes)\s+(?:anteriores|previas|prévias|precedentes|del\s+sistema|do\s+sistema|originales|originais)/giu
  },
  {
    rule: 'injection/override',
    what: `${OVERRIDE} (French/Italian)`,
    re: /\b(?:ignore[rz]?|oublie[rz]?|oubliez|ignora(?:te)?|dimentica(?:te)?|trascura)\s+(?:(?:toutes|tous|les|tutte|tutti|le|gli|vos|tes|ses)\s+)*(?:instructions|consignes|directives|règles|istruzioni|regole|direttive)\s+(?:précédentes|precedentes|antérieures|anterieures|du\s+système|precedenti|del\s+sistema|originali)/giu
  },
  {
    rule: 'injection/override',
    what: `${OVERRIDE} (German/Dutch)`,
    re: /\b(?:ignoriere|ignorieren\s+sie|vergiss|vergessen\s+sie|missachte|negeer|vergeet)\s+(?:(?:alle|sämtliche|die|deine|ihre|jegliche|al|de|je)\s+)*(?:bisherigen|vorherigen|vorigen|früheren|obigen|ursprünglichen|vorigen|eerdere|vorige)\s+(?:anweisungen|instruktionen|befehle|regeln|vorgaben|instructies|regels)/giu
  },
  {
    rule: 'injection/override',
    what: `${OVERRIDE} (Russian)`,
    re: /(?:игнорируй|игнорируйте|забудь|забудьте|не\s+обращай\s+внимания\s+на)\s+(?:все\s+)?(?:предыдущие|прежние|предшествующие|системные|исходные)\s+(?:инструкции|указания|правила|команды)/giu
  },
  {
    rule: 'injection/override',
    what: `${OVERRIDE} (Chinese/Japanese/Korean)`,
    re: /(?:忽略|忽视|无视|無視|忘记|忘記|忘掉|不要理会|不要理會)(?:掉)?(?:之前|以前|先前|上面|上述|所有|全部|你的|系统|系統|此前)+(?:的)?(?:所有|全部|一切)?(?:的)?(?:指令|指示|说明|說明|规则|規則|提示|命令|设定|設定)|(?:以前|前|上記|これまで|すべて|全て)の(?:指示|命令|ルール|プロンプト)を(?:無視|忘れ)|(?:이전|앞의|모든|시스템)\s*(?:지시|지침|명령|규칙|프롬프트)(?:을|를|은|는)?\s*(?:무시|잊어)/gu
  },
  // ---- paraphrases of override ----
  {
    rule: 'injection/override',
    what: OVERRIDE,
    re: new RegExp(
      String.raw`\b(?:set${S}aside|put${S}aside|throw${S}out|discard|disregard|forget(?:${S}about)?|drop|abandon|ditch|override|supersede)${S}(?:(?:all|any|whatever|everything|the|your|of)${S})*(?:guidance|instructions?|directions|rules|directives|orders|prompts?|programming|guidelines|training|constraints)${S}(?:you${S}(?:were|have${S}been|'ve${S}been|got|received)${S}(?:given|told|provided)|(?:given|provided|received)${S}(?:to${S}you${S})?(?:before|earlier|previously|so${S}far|up${S}to${S}now|until${S}now)|(?:from|by)${S}(?:the${S})?(?:system|developer|operator|user|anthropic|openai))`,
      'gi'
    )
  },
  {
    rule: 'injection/override',
    what: "a claim to replace the agent's instructions",
    re: new RegExp(
      String.raw`\b(?:from${S}now${S}on|henceforth|starting${S}now)[,]?${S}(?:your${S})?(?:only|sole|single|one|new|real|primary)${S}(?:directive|instruction|task|goal|purpose|job|objective|rule)s?\b|\b(?:takes?|has|have)${S}(?:priority|precedence)${S}over${S}(?:the${S}|your${S}|any${S}|all${S})*(?:system${S}prompt|system${S}message|previous${S}instructions|other${S}instructions|your${S}instructions|developer${S}instructions)`,
      'gi'
    )
  },
  // ---- concealment paraphrases ----
  {
    rule: 'injection/concealment',
    what: 'an instruction to hide something from the user',
    re: new RegExp(
      String.raw`\bkeep${S}(?:this|these|it|that)${S}(?:step|action|part|command|request|instruction)?s?${S}?(?:to${S}yourself|secret|hidden|private|quiet|between${S}us)|\b(?:the${S})?(?:user|human|operator)${S}(?:doesn't|does${S}not|don't|do${S}not|need${S}not|needn't|shouldn't|should${S}not|must${S}not|mustn't|won't${S}need${S}to)${S}(?:need${S}to${S})?(?:know|see|notice|find${S}out|be${S}told|hear)\b|\bleave${S}(?:it|this|that|them|these)${S}out${S}of${S}(?:your|the)${S}(?:summary|response|reply|answer|report|output|explanation)|\bwithout${S}(?:telling|informing|notifying|alerting|asking|mentioning${S}(?:it${S})?to)${S}(?:the${S})?(?:user|human|operator|anyone)`,
      'gi'
    )
  },
  {
    rule: 'injection/concealment',
    what: 'an instruction to hide something from the user (Spanish/French/German/Chinese)',
    re: /\b(?:no\s+(?:se\s+lo\s+)?(?:digas|menciones|informes)\s+(?:nada\s+)?al\s+usuario|sin\s+que\s+el\s+usuario\s+(?:lo\s+)?(?:sepa|note)|ne\s+(?:le\s+)?(?:dis|dites|mentionne[zr]?)\s+(?:rien\s+)?(?:pas\s+)?à\s+l['’]utilisateur|sans\s+que\s+l['’]utilisateur\s+(?:le\s+)?(?:sache|remarque)|sag\s+(?:es\s+)?dem\s+(?:benutzer|nutzer)\s+nicht|ohne\s+dass\s+der\s+(?:benutzer|nutzer)\s+es\s+(?:merkt|weiß))|不要(?:告诉|告訴|通知|提醒)用户|不要让用户(?:知道|看到|发现)|向用户隐瞒/giu
  },
  // ---- remote instructions paraphrases ----
  {
    rule: 'injection/remote-instructions',
    what: 'an instruction to fetch text from the web and follow it',
    negatable: true,
    re: new RegExp(
      String.raw`\b(?:fetch|download|get|retrieve|load|read|pull|grab|open|visit|consult)\b[^\n]{0,120}?https?://\S+[^\n]{0,60}?\b(?:and|then)${S}(?:treat|use|take|regard|consider|follow|obey|adopt|apply|act${S}on)${S}(?:(?:whatever|what|everything|anything|its|the|all)${S})*(?:it${S}says|it${S}contains|contents?|text|response|body|output)?${S}?(?:as${S}(?:your${S}|the${S}|new${S})*(?:instructions?|directives?|orders|rules|system${S}prompt|prompt|task)|\b(?:instructions|directives|orders))`,
      'gi'
    )
  },
  // ---- role markers of chat templates ----
  {
    rule: 'injection/override',
    what: 'a fake chat-role marker',
    re: /<\|(?:start_header_id|end_header_id|eot_id|begin_of_text|end_of_text|user|assistant|im_sep|channel|message|start|end|return|call|constrain|tool|fim_\w+)\|>|<(?:start_of_turn|end_of_turn)>|<\/?(?:s|bos|eos)>(?=\s*(?:system|user|assistant|\[INST\]))|<\uFF5C(?:begin|end)\u2581of\u2581sentence\uFF5C>|<\uFF5C(?:User|Assistant)\uFF5C>|\[(?:SYSTEM_PROMPT|\/SYSTEM_PROMPT|AVAILABLE_TOOLS|TOOL_RESULTS)\]|^[ \t]*<\|?(?:system|assistant)\|?>[ \t]*$/gim
  },
  // ---- decode and follow ----
  {
    rule: 'injection/encoded-instructions',
    what: 'an instruction to decode hidden text and act on it',
    re: new RegExp(
      String.raw`\b(?:decode|decipher|decrypt|unscramble|translate|convert|reverse|rot13)\b[^\n]{0,80}?\b(?:base64|base-64|b64|hex|rot-?13|binary|morse|the${S}(?:following|string|text|message|payload)|this)\b[^\n]{0,80}?\b(?:and|then)${S}(?:(?:do|follow|execute|obey|run|apply|carry${S}out|act${S}on|comply${S}with|perform)${S})+(?:what${S}it${S}says|it|them|the${S}(?:instructions?|commands?|result)|whatever|its${S}instructions)|\b(?:follow|execute|obey|do)${S}(?:the${S})?(?:instructions?|commands?|what${S}it${S}says)${S}(?:encoded|hidden)${S}in${S}(?:the${S}following${S})?(?:base64|hex|this)`,
      'gi'
    )
  },
  // ---- other agents' auto-approve switches, in prose and configs ----
  {
    rule: 'injection/mode-switch',
    what: 'an agent switch that turns off its approval prompts',
    re: /(?<![\w-])--(?:yolo|full-auto|dangerously-bypass-approvals-and-sandbox|dangerously-allow-all|allow-all-tools|yes-always)\b|\bapproval[_-]policy\s*[=:]\s*["']?never\b|\bsandbox[_-]mode\s*[=:]\s*["']?danger-full-access\b|["']?(?:autoApprove|alwaysAllow|auto_approve|chat\.tools\.autoApprove|autoApproveAll|yolo|trust)["']?\s*[:=]\s*(?:true\b|\[\s*["']\*["'])|["']?approval-?mode["']?\s*[:=]\s*["']?yolo\b/gi
  }
]

/** A negation that turns the words after it into advice ("never", "do not"), within one clause. */
export const CLAUSE_NEGATION =
  /(?:^|[^\w])(?:never|not|don['’]t|do\s+not|doesn['’]t|does\s+not|avoid|without|no|nor|refuse\s+to|must\s+not|mustn['’]t|should\s+not|shouldn['’]t|cannot|can['’]t|won['’]t|stop)\b[^.!?;:\n]{0,40}$/i

/** Text that tells the agent to follow what comes next ("follow this rule:", "obey the policy below"). */
export const FOLLOW_DIRECTIVE =
  /\b(?:follow|obey|comply\s+with|adopt|apply|execute|carry\s+out|do\s+(?:exactly\s+)?(?:what|as)|act\s+on|must|always|you\s+(?:will|shall))\b[^.!?\n]{0,80}$/i
