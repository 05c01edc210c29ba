import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';
import { VerdictGrid } from './VerdictGrid';
import type { ChannelVerdict } from '../../api/types';

const v = (channel: string, label: string, ok: boolean, reasons: string[] = [], boost = false): ChannelVerdict => ({
  channel, label, mayPublish: ok, mayBoost: boost,
  problems: reasons.map((reason) => ({ code: 'x', reason })), boostProblems: [],
});

describe('VerdictGrid', () => {
  it('says per channel whether it may go out, and why not', () => {
    render(
      <MantineProvider>
        <VerdictGrid verdicts={[
          v('facebook', 'Facebook', true),
          v('instagram', 'Instagram', false, ['The consent does not cover Instagram.']),
          v('website', "The practice's website", false, ["The consent does not cover The practice's website.", 'The patient withdrew this consent.']),
        ]} />
      </MantineProvider>,
    );
    expect(screen.getByTestId('verdict-facebook')).toHaveAttribute('data-publishable', 'true');
    expect(screen.getByText('May publish (not as a paid advert)')).toBeInTheDocument();
    expect(screen.getByTestId('reason-instagram')).toHaveTextContent('The consent does not cover Instagram.');
    // A label that starts a form line reads in lower case inside a reason; further reasons are counted.
    expect(screen.getByTestId('reason-website')).toHaveTextContent("The consent does not cover the practice's website. (+1 more)");
    expect(screen.getByText('Website')).toBeInTheDocument();
  });
});

describe('VerdictGrid on a testimonial blocked everywhere', () => {
  it('says a shared reason once, and opens a channel\'s further reasons', async () => {
    const { default: userEvent } = await import('@testing-library/user-event');
    const none = 'There is no signed consent for this testimonial.';
    render(
      <MantineProvider>
        <VerdictGrid verdicts={[
          v('facebook', 'Facebook', false, [none]),
          v('instagram', 'Instagram', false, [none]),
          v('website', "The practice's website", false, [none, 'Websites need the full name.', 'The photo is not covered.']),
        ]} />
      </MantineProvider>,
    );
    expect(screen.getByTestId('shared-reasons')).toHaveTextContent('Blocked on every channel');
    expect(screen.getAllByText(none)).toHaveLength(1);
    expect(screen.getByTestId('reason-facebook')).toHaveTextContent('Blocked (see above)');
    expect(screen.getByTestId('reason-website')).toHaveTextContent('Websites need the full name. (+1 more)');
    await userEvent.click(screen.getByRole('button', { name: '(+1 more)' }));
    expect(screen.getByTestId('reason-website')).toHaveTextContent('Websites need the full name. The photo is not covered. (fewer)');
  });
});
