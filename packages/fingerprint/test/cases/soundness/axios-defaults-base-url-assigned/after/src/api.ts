import { http } from './http'

http.defaults.baseURL = 'https://api.example.com/v2'
http.defaults.headers['X-Client'] = 'web'

export function userUrl(id: number) {
  return http.getUri({ url: `/users/${id}`, params: { expand: 'teams' } })
}
