# Managed by /usr/local/sbin/morpheus-render-config from Secrets Manager and Parameter Store.
# Local edits are overwritten by the next render (boot or node refresh).
appliance_url 'https://morpheus.dev.example.com'
mysql['enable'] = false
mysql['host'] = { '<from Parameter Store: /morpheus-ha/dev/db/endpoint>' => <from Parameter Store: /morpheus-ha/dev/db/port> }
mysql['morpheus_db'] = '<from Parameter Store: /morpheus-ha/dev/db/name>'
mysql['morpheus_db_user'] = '<from Secrets Manager: /morpheus-ha/dev/db-morpheus (username)>'
mysql['morpheus_password'] = '<from Secrets Manager: /morpheus-ha/dev/db-morpheus (password)>'
mysql['use_tls'] = true
rabbitmq['enable'] = false
rabbitmq['host'] = '<from Parameter Store: /morpheus-ha/dev/mq/host>'
rabbitmq['port'] = '<from Parameter Store: /morpheus-ha/dev/mq/port>'
rabbitmq['vhost'] = '<from Parameter Store: /morpheus-ha/dev/mq/vhost>'
rabbitmq['queue_user'] = '<from Secrets Manager: /morpheus-ha/dev/mq-morpheus (username)>'
rabbitmq['queue_user_password'] = '<from Secrets Manager: /morpheus-ha/dev/mq-morpheus (password)>'
rabbitmq['use_tls'] = true
rabbitmq['heartbeat'] = 50
elasticsearch['enable'] = false
elasticsearch['cluster'] = '<from Parameter Store: /morpheus-ha/dev/search/domain>'
elasticsearch['es_hosts'] = { '<from Parameter Store: /morpheus-ha/dev/search/endpoint>' => 443 }
elasticsearch['use_tls'] = true
elasticsearch['auth_user'] = '<from Secrets Manager: /morpheus-ha/dev/opensearch-morpheus (username)>'
elasticsearch['auth_password'] = '<from Secrets Manager: /morpheus-ha/dev/opensearch-morpheus (password)>'
elasticsearch['replica_count'] = 0
user['uid'] = 899
user['gid'] = 899
node.default['morpheus_solo']['local_user']['uid'] = 898
node.default['morpheus_solo']['local_user']['gid'] = 898
guacd['uid'] = 894
guacd['gid'] = 894
