export { route } from './about-us'
