import { router } from '../trpc';

export const categoriesRouter = router({});
