import { FormattedMessage } from 'react-intl';
import { useDocumentTitle } from '../../lib/use-document-title';

export function AboutPage() {
  useDocumentTitle('About');
  return (
    <article className="mx-auto max-w-2xl space-y-4 py-6 text-stone-700">
      <h1 className="text-2xl font-bold text-stone-900 sm:text-3xl">
        <FormattedMessage id="about.aboutPage.aboutSouk" />
      </h1>
      <p>
        <FormattedMessage id="about.aboutPage.soukOpenSourceMarketplace" />
      </p>
      <p>
        <FormattedMessage id="about.aboutPage.builtPeopleWhoRun" />
      </p>
      <p>
        <FormattedMessage
          id="about.aboutPage.developersCanBuildPublic"
          values={{
            link: (chunks) => (
              <a href="/docs" className="font-medium text-brand-700 underline underline-offset-4">
                {chunks}
              </a>
            ),
          }}
        />
      </p>
    </article>
  );
}
