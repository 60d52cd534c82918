# Managed by /usr/local/sbin/morpheus-render-config from Secrets Manager and Parameter Store.
# Local edits are overwritten by the next render (boot or node refresh).
appliance_url 'https://morpheus.example.com'
mysql['enable'] = false
mysql['host'] = { '<from Parameter Store: /morpheus-ha/prod/db/endpoint>' => <from Parameter Store: /morpheus-ha/prod/db/port> }
mysql['morpheus_db'] = '<from Parameter Store: /morpheus-ha/prod/db/name>'
mysql['morpheus_db_user'] = '<from Secrets Manager: /morpheus-ha/prod/db-morpheus (username)>'
mysql['morpheus_password'] = '<from Secrets Manager: /morpheus-ha/prod/db-morpheus (password)>'
mysql['use_tls'] = true
rabbitmq['enable'] = false
rabbitmq['host'] = '<from Parameter Store: /morpheus-ha/prod/mq/host>'
rabbitmq['port'] = '<from Parameter Store: /morpheus-ha/prod/mq/port>'
rabbitmq['vhost'] = '<from Parameter Store: /morpheus-ha/prod/mq/vhost>'
rabbitmq['queue_user'] = '<from Secrets Manager: /morpheus-ha/prod/mq-morpheus (username)>'
rabbitmq['queue_user_password'] = '<from Secrets Manager: /morpheus-ha/prod/mq-morpheus (password)>'
rabbitmq['use_tls'] = true
rabbitmq['heartbeat'] = 50
elasticsearch['enable'] = false
elasticsearch['cluster'] = '<from Parameter Store: /morpheus-ha/prod/search/domain>'
elasticsearch['es_hosts'] = { '<from Parameter Store: /morpheus-ha/prod/search/endpoint>' => 443 }
elasticsearch['use_tls'] = true
elasticsearch['auth_user'] = '<from Secrets Manager: /morpheus-ha/prod/opensearch-morpheus (username)>'
elasticsearch['auth_password'] = '<from Secrets Manager: /morpheus-ha/prod/opensearch-morpheus (password)>'
elasticsearch['replica_count'] = 2
user['uid'] = 899
user['gid'] = 899
node.default['morpheus_solo']['local_user']['uid'] = 898
node.default['morpheus_solo']['local_user']['gid'] = 898
guacd['uid'] = 894
guacd['gid'] = 894
