import { QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { createQueryClient } from '../api/queryClient';

/** Render `ui` with a fresh query cache of the app's settings, as a page load would have. */
export function renderWithQueries(ui, clientOptions) {
  return render(<QueryClientProvider client={createQueryClient(clientOptions)}>{ui}</QueryClientProvider>);
}
