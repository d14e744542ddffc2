import {
  EntityOrphanWarning,
  EntityProcessingErrorsPanel,
  EntityRelationWarning,
  EntitySwitch,
  hasCatalogProcessingErrors,
  hasRelationWarnings,
  isOrphan,
} from '@backstage/plugin-catalog';
import type { EntityContentLayoutProps } from '@backstage/plugin-catalog-react/alpha';
import Grid from '@material-ui/core/Grid';
import { makeStyles } from '@material-ui/core/styles';
import { Fragment } from 'react';

type Card = EntityContentLayoutProps['cards'][number];

/** The cards that open a pool's overview, full width and in this order. */
export const POOL_TOP_CARDS = [
  'entity-card:ai-gateway/pool-overview',
  'entity-card:ai-gateway/topology',
];

/**
 * The extension id of an overview card. The catalog hands each card over as
 * the ExtensionBoundary element of its extension, whose `node` is the card's
 * app node; a card without one is treated like any other app's card.
 */
export function cardExtensionId(card: Card): string | undefined {
  const props = card.element.props as
    | { node?: { spec?: { id?: string } } }
    | undefined;
  return props?.node?.spec?.id;
}

/**
 * The pool's status and topology first (full width), then the other cards:
 * content cards (the catalog's relations graph, say) in the main column and
 * info cards (About, Links) beside them, each group in the app's order.
 */
export function arrangePoolCards(cards: Card[]) {
  const rank = (card: Card) =>
    POOL_TOP_CARDS.indexOf(cardExtensionId(card) ?? '');
  const top = cards
    .filter(card => rank(card) >= 0)
    .sort((a, b) => rank(a) - rank(b));
  const rest = cards.filter(card => rank(card) < 0);
  return {
    top,
    content: rest.filter(card => card.type !== 'info'),
    info: rest.filter(card => card.type === 'info'),
  };
}

const useStyles = makeStyles(theme => ({
  column: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(3),
    minWidth: 0,
  },
  warnings: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(2),
    '&:empty': { display: 'none' },
  },
}));

/**
 * What the catalog's default layout shows above every overview (orphaned
 * entity, relations to missing entities, processing errors): replacing the
 * layout must not hide why a pool's entity is wrong.
 */
function CatalogEntityWarnings() {
  const classes = useStyles();
  return (
    <div className={classes.warnings}>
      <EntitySwitch>
        <EntitySwitch.Case if={isOrphan}>
          <EntityOrphanWarning />
        </EntitySwitch.Case>
      </EntitySwitch>
      <EntitySwitch>
        <EntitySwitch.Case if={hasRelationWarnings}>
          <EntityRelationWarning />
        </EntitySwitch.Case>
      </EntitySwitch>
      <EntitySwitch>
        <EntitySwitch.Case if={hasCatalogProcessingErrors}>
          <EntityProcessingErrorsPanel />
        </EntitySwitch.Case>
      </EntitySwitch>
    </div>
  );
}

/**
 * The Overview of pool entities (an entity content layout, filtered to
 * pools): the catalog's warnings about the entity, then what a platform
 * engineer needs first (status, next step, install, topology), then what the
 * catalog knows about the entity.
 *
 * @alpha
 */
export function PoolOverviewLayout(props: EntityContentLayoutProps) {
  const classes = useStyles();
  const { top, content, info } = arrangePoolCards(props.cards);
  const keyOf = (card: Card, index: number) =>
    cardExtensionId(card) ?? `card-${index}`;
  return (
    <div className={classes.column} data-testid="pool-overview-layout">
      <CatalogEntityWarnings />
      {top.map((card, i) => (
        <Fragment key={keyOf(card, i)}>{card.element}</Fragment>
      ))}
      {(content.length > 0 || info.length > 0) && (
        <Grid container spacing={3}>
          {content.length > 0 && (
            <Grid item xs={12} md={info.length ? 8 : 12}>
              <div className={classes.column}>
                {content.map((card, i) => (
                  <Fragment key={keyOf(card, i)}>{card.element}</Fragment>
                ))}
              </div>
            </Grid>
          )}
          {info.length > 0 && (
            <Grid item xs={12} md={content.length ? 4 : 12}>
              <div className={classes.column}>
                {info.map((card, i) => (
                  <Fragment key={keyOf(card, i)}>{card.element}</Fragment>
                ))}
              </div>
            </Grid>
          )}
        </Grid>
      )}
    </div>
  );
}
