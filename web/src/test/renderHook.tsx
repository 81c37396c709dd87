import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { act, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { ServicesProvider, type Services } from '../app/services';

// Tell React this is a test environment, so act() flushes effects and updates synchronously.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

/** A minimal renderHook: mounts `useHook` inside the app's providers and exposes its latest result. */
export function renderHook<P, R>(useHook: (props: P) => R, initialProps: P, services: Services, client: QueryClient) {
  const result: { current: R | undefined } = { current: undefined };
  const container = document.createElement('div');
  const root = createRoot(container);
  function Probe({ props }: { props: P }): ReactNode {
    result.current = useHook(props);
    return null;
  }
  const render = (props: P) =>
    act(() => {
      root.render(
        <ServicesProvider services={services}>
          <QueryClientProvider client={client}>
            <Probe props={props} />
          </QueryClientProvider>
        </ServicesProvider>,
      );
    });
  render(initialProps);
  return {
    get current(): R {
      if (result.current === undefined) throw new Error('hook has not rendered');
      return result.current;
    },
    rerender: render,
    unmount: () => act(() => root.unmount()),
  };
}
