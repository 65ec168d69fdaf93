import { parseArgs } from 'node:util';
import {
  documentScope,
  incomingRegistrationDeadline,
  PAPER_CATEGORIES,
  type PaperCategory,
  paperDuties,
  parseIsoDate,
  parseRequestType,
  REQUEST_TYPES,
  recallSteps,
  requestName,
  routeRequest,
  SCOPE_EXCLUSIONS,
  type ScopeExclusion,
  SUBSCRIBER_EVENTS,
  type SubscriberEvent,
  subscriberDuties,
  urgentDocumentDuties,
} from '@kyso/lifecycle-rules';
import { type CliIo, EXIT, pickLang, UsageError } from '../io.js';
import {
  oneOf,
  provinceOption,
  RULES_IN_FORCE_OPTIONS,
  RULES_OPTIONS,
  ruleDate,
  ruleScope,
} from './rules-options.js';
import { deadlineLine, printJson, reasonLines, reportWhen, staleCitationLine } from './rules-output.js';

/** `kyso rules route <request>`: who receives a certification request, how, and who gets a copy. */
export function route(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: RULES_IN_FORCE_OPTIONS,
  });
  const lang = pickLang(values.lang, io.env);
  if (positionals.length !== 1)
    throw new UsageError(`kyso rules route takes one request: ${REQUEST_TYPES.join(', ')}`);
  const request = parseRequestType(positionals[0]!);
  const r = routeRequest(request, ruleScope(values));
  if (values.json) {
    printJson(io, r);
    return EXIT.ok;
  }
  const t = (vi: string, en: string) => (lang === 'vi' ? vi : en);
  const lines = [
    `${t('Đề nghị', 'Request')}: ${requestName(request)[lang]} (${r.at}${r.province ? `, ${r.province}` : ''})`,
  ];
  if (r.outcome === 'no-rule-encoded') {
    lines.push(t('Chưa có quy định được mã hóa cho ngày này.', 'No rule is encoded for this date.'));
  } else {
    lines.push(`${t('Nơi nhận', 'To')}: ${r.to}`);
    if (r.channels.length > 0)
      lines.push(`${t('Cách gửi', 'Channel')}: ${r.channels.join(t(' hoặc ', ' or '))}`);
    if (r.signedElectronically)
      lines.push(t('Hình thức: văn bản điện tử đã ký số', 'Form: a digitally signed e-document'));
  }
  if (r.copyTo.length > 0) lines.push(`${t('Đồng gửi', 'Copy to')}: ${r.copyTo.join('; ')}`);
  if (r.coordinateWith) lines.push(`${t('Phối hợp với', 'Work with')}: ${r.coordinateWith}`);
  for (const s of r.staleOffices)
    lines.push(
      t(
        `! ${s.office} nay là ${s.now}; văn bản vẫn ghi tên cũ`,
        `! ${s.office} is now ${s.now}; the text still has the old name`,
      ),
    );
  lines.push(`${t('Căn cứ', 'Grounds')}:`, ...reasonLines(r.reasons, lang));
  for (const s of r.staleCitations) lines.push(staleCitationLine(s, lang));
  io.stdout(`${lines.join('\n')}\n`);
  return EXIT.ok;
}

/** `kyso rules duties <event>...`: what a subscriber must report, and what follows each report. */
export function subscriber(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      ...RULES_IN_FORCE_OPTIONS,
      kind: { type: 'string' },
      'revocation-notice': { type: 'string' },
    },
  });
  const lang = pickLang(values.lang, io.env);
  if (positionals.length === 0)
    throw new UsageError(`kyso rules duties takes one or more events: ${SUBSCRIBER_EVENTS.join(', ')}`);
  const events = oneOf<SubscriberEvent>(positionals, SUBSCRIBER_EVENTS, 'events');
  const kind =
    values.kind === undefined
      ? undefined
      : oneOf([values.kind], ['personal', 'organisation', 'device'] as const, '--kind')[0];
  const duties = subscriberDuties(events, {
    ...ruleScope(values),
    ...(kind ? { kind } : {}),
    ...(values['revocation-notice']
      ? { revocationNoticeOn: parseIsoDate(values['revocation-notice'], '--revocation-notice') }
      : {}),
  });
  if (values.json) {
    printJson(io, duties);
    return EXIT.ok;
  }
  const t = (vi: string, en: string) => (lang === 'vi' ? vi : en);
  const lines: string[] = [];
  for (const d of duties) {
    lines.push(`${d.event}: ${reportWhen(d, lang)}`, ...reasonLines([...d.reasons, ...d.then], lang));
    for (const id of d.staleRuleIds)
      lines.push(
        t(
          `    ! Quy tắc ${id} dựa trên văn bản trung ương đã hết hiệu lực`,
          `    ! Rule ${id} rests on a national text no longer in force`,
        ),
      );
    if (d.deadline) lines.push(deadlineLine(d.deadline, lang));
  }
  io.stdout(`${lines.join('\n')}\n`);
  return EXIT.ok;
}

/** `kyso rules doc recall|scope|paper|urgent|register`: the duties a document starts. */
export function documentDuties(args: readonly string[], io: CliIo): number {
  const [topic, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { ...RULES_OPTIONS, urgent: { type: 'boolean', default: false } },
  });
  const lang = pickLang(values.lang, io.env);
  const where = provinceOption(values.province);
  const t = (vi: string, en: string) => (lang === 'vi' ? vi : en);
  let data: unknown;
  let lines: string[];
  switch (topic) {
    case 'recall': {
      const steps = recallSteps({ at: ruleDate(values.at), ...where });
      data = steps;
      lines = [
        `${t('Bên gửi', 'Sender')}:`,
        ...(steps.sender.length > 0
          ? reasonLines(steps.sender, lang)
          : [`    - ${t('không có quy định riêng', 'no specific rule')}`]),
        `${t('Bên nhận', 'Receiver')}:`,
        ...reasonLines(steps.receiver, lang),
      ];
      break;
    }
    case 'scope': {
      const facts = oneOf<ScopeExclusion>(positionals, SCOPE_EXCLUSIONS, 'scope facts');
      const scope = documentScope(facts, { at: ruleDate(values.at), ...where });
      data = scope;
      const verdict =
        scope.inScope === null
          ? t('chưa có quy định được mã hóa', 'no rule encoded')
          : scope.inScope
            ? t('thuộc phạm vi', 'in scope')
            : t('ngoài phạm vi', 'out of scope');
      lines = [`${t('Phạm vi', 'Scope')}: ${verdict}`, ...reasonLines(scope.reasons, lang)];
      break;
    }
    case 'paper': {
      const categories = oneOf<PaperCategory>(positionals, PAPER_CATEGORIES, 'paper categories');
      const paper = paperDuties(categories, { at: ruleDate(values.at), ...where });
      data = paper;
      const yesNo = (v: boolean | null) =>
        v === null
          ? t('chưa có quy định được mã hóa', 'no rule encoded')
          : v
            ? t('có', 'yes')
            : t('không', 'no');
      lines = [
        `${t('Gửi kèm văn bản giấy', 'Also on paper')}: ${yesNo(paper.alsoOnPaper)}`,
        `${t('Xử lý không chờ văn bản giấy', 'Act without waiting for paper')}: ${yesNo(paper.actWithoutWaitingForPaper)}`,
        ...reasonLines(paper.reasons, lang),
      ];
      break;
    }
    case 'urgent': {
      const urgent = urgentDocumentDuties({ at: ruleDate(values.at), ...where });
      data = urgent;
      lines = [
        `${t('Bên gửi', 'Sender')}:`,
        ...reasonLines(urgent.sender, lang),
        `${t('Bên nhận', 'Receiver')}:`,
        ...reasonLines(urgent.receiver, lang),
      ];
      break;
    }
    case 'register': {
      if (positionals.length !== 1)
        throw new UsageError('kyso rules doc register takes the time of receipt (ISO 8601)');
      const deadline = incomingRegistrationDeadline(positionals[0]!, { urgent: values.urgent, ...where });
      data = deadline;
      lines = [
        `${t('Nhận ngày', 'Received on')}: ${deadline.receivedOn}`,
        `${t('Đăng ký, chuyển giao chậm nhất', 'Register and forward by')}: ${
          deadline.latest === 'immediately'
            ? t('ngay sau khi nhận', 'as soon as received')
            : (deadline.latest ?? '—')
        }`,
        ...reasonLines(deadline.reasons, lang),
      ];
      break;
    }
    default:
      throw new UsageError('kyso rules doc takes recall, scope, paper, urgent or register');
  }
  if (values.json) printJson(io, data);
  else io.stdout(`${lines.join('\n')}\n`);
  return EXIT.ok;
}
