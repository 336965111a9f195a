/**
 * What a reader may choose to receive, as form fields: how often, in what form, and which
 * articles. The subscribe form shows them folded away under the address; the preference page
 * shows them open. Both post the same fields (`cadence`, `format`, `hour`, `weekday`, and
 * `topics` once per checked tag), which the API reads as it reads JSON `preferences`.
 * Plain HTML: no script, so they work wherever the form does.
 */
import { CADENCES, DEFAULT_PREFERENCES, FORMATS, type Cadence, type Format, type Preferences } from '../subscribers/preferences.js';

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const HOURS = Array.from({ length: 24 }, (_, hour) => hour);

export const hourLabel = (hour: number): string => `${String(hour).padStart(2, '0')}:00`;

const cadenceLabels: Record<Cadence, [label: string, help: string]> = {
  digest: ['With the site’s digest', 'the usual: one email whenever the site sends its digest'],
  each: ['As articles are published', 'one email for each publish, a few minutes after it, so late edits are in it'],
  daily: ['Once a day', 'at the hour below'],
  weekly: ['Once a week', 'on the day and at the hour below'],
};

const formatLabels: Record<Format, [label: string, help: string]> = {
  summary: ['Titles and summaries', 'a short email with links to read on the site'],
  full: ['Full articles', 'every article complete in the email'],
};

/** The choices in words, as the page that saved them says them back: "articles tagged science, once a week on Monday at 07:00, full articles". */
export function describeChoices(preferences: Preferences, timeZone = 'UTC'): string {
  const topics = preferences.topics === 'all' ? 'all articles' : `articles tagged ${preferences.topics.join(', ')}`;
  const when: Record<Cadence, string> = {
    digest: 'with the site’s digest',
    each: 'an email for each publish',
    daily: `once a day at ${hourLabel(preferences.hour)} (${timeZone})`,
    weekly: `once a week on ${WEEKDAYS[preferences.weekday] ?? ''} at ${hourLabel(preferences.hour)} (${timeZone})`,
  };
  const form = preferences.format === 'full' ? 'full articles' : 'titles and summaries';
  return `${topics}, ${when[preferences.cadence]}, ${form}`;
}

export interface ChoiceFieldsProps {
  /** Makes the ids of the fields unique on the page. */
  idPrefix: string;
  /** What is checked. */
  preferences?: Preferences;
  /** The tags offered as checkboxes. */
  tags?: readonly string[];
  /** Offer "All articles" as a checkbox and a text field for tags not offered (the preference page). */
  open?: boolean;
  /** The time zone the hour is in (SiteConfig.timeZone). */
  timeZone?: string;
}

/** Each radio or checkbox inside its label, so the label's text is what a click or a screen reader reaches. */
function Option(props: { type: 'radio' | 'checkbox'; name: string; value: string; checked: boolean; label: string; help?: string }) {
  return (
    <label class="option">
      <input type={props.type} name={props.name} value={props.value} checked={props.checked} />
      <span>
        {props.label}
        {props.help && <span class="muted"> – {props.help}</span>}
      </span>
    </label>
  );
}

export function ChoiceFields({
  idPrefix,
  preferences = DEFAULT_PREFERENCES,
  tags = [],
  open = false,
  timeZone = 'UTC',
}: ChoiceFieldsProps) {
  return (
    <>
      <CadenceFields idPrefix={idPrefix} preferences={preferences} timeZone={timeZone} />
      <fieldset>
        <legend>In what form</legend>
        {FORMATS.map((format) => (
          <Option
            type="radio"
            name="format"
            value={format}
            checked={preferences.format === format}
            label={formatLabels[format][0]}
            help={formatLabels[format][1]}
          />
        ))}
      </fieldset>
      <TopicFields idPrefix={idPrefix} preferences={preferences} tags={tags} open={open} />
    </>
  );
}

function CadenceFields({ idPrefix, preferences, timeZone }: { idPrefix: string; preferences: Preferences; timeZone: string }) {
  return (
    <fieldset>
      <legend>How often</legend>
      {CADENCES.map((cadence) => (
        <Option
          type="radio"
          name="cadence"
          value={cadence}
          checked={preferences.cadence === cadence}
          label={cadenceLabels[cadence][0]}
          help={cadenceLabels[cadence][1]}
        />
      ))}
      <div class="when">
        <span>
          <label for={`${idPrefix}-hour`}>Hour ({timeZone})</label>
          <select id={`${idPrefix}-hour`} name="hour">
            {HOURS.map((hour) => (
              <option value={String(hour)} selected={preferences.hour === hour}>
                {hourLabel(hour)}
              </option>
            ))}
          </select>
        </span>
        <span>
          <label for={`${idPrefix}-weekday`}>Day</label>
          <select id={`${idPrefix}-weekday`} name="weekday">
            {WEEKDAYS.map((day, weekday) => (
              <option value={String(weekday)} selected={preferences.weekday === weekday}>
                {day}
              </option>
            ))}
          </select>
        </span>
      </div>
    </fieldset>
  );
}

/** The tags offered and those chosen, as checkboxes; open, also "All articles" and a field for other tags. */
function TopicFields({ idPrefix, preferences, tags, open }: Required<Omit<ChoiceFieldsProps, 'timeZone'>>) {
  const chosen = preferences.topics === 'all' ? [] : preferences.topics;
  const offered = [...new Set([...chosen, ...tags])].sort();
  if (!open && offered.length === 0) return null;
  return (
    <fieldset>
      <legend>Which articles</legend>
      {open && <Option type="checkbox" name="topics" value="all" checked={preferences.topics === 'all'} label="All articles" />}
      {offered.map((tag) => (
        <Option type="checkbox" name="topics" value={tag} checked={chosen.includes(tag)} label={`Tagged “${tag}”`} />
      ))}
      {open && (
        <>
          <label for={`${idPrefix}-topics`}>Other tags, separated by commas</label>
          <input id={`${idPrefix}-topics`} class="wide" type="text" name="topics" autocomplete="off" />
        </>
      )}
      <p class="muted">
        {open
          ? 'An article with any tag you check reaches you once. “All articles”, or no tag at all, brings every article.'
          : 'No tag checked: every article.'}
      </p>
    </fieldset>
  );
}
