import Link, { type LinkProps } from '@cloudscape-design/components/link';
import type { ReactNode } from 'react';
import { useNavigate } from 'react-router-dom';

import { routerPath } from '../../app/console-paths.js';

/** A Cloudscape link to a console page that navigates in the app (and still opens in new tabs). */
export function BuyerLink(props: {
  readonly href: string;
  readonly children: ReactNode;
  readonly ariaLabel?: string;
  readonly variant?: LinkProps.Variant;
}): JSX.Element {
  const navigate = useNavigate();
  return (
    <Link
      href={props.href}
      {...(props.ariaLabel === undefined ? {} : { ariaLabel: props.ariaLabel })}
      {...(props.variant === undefined ? {} : { variant: props.variant })}
      onFollow={(event) => {
        event.preventDefault();
        navigate(routerPath(props.href));
      }}
    >
      {props.children}
    </Link>
  );
}
