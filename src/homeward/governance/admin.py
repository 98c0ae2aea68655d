from django.contrib import admin

from homeward.governance.models import DataSharingAgreement

admin.site.register(DataSharingAgreement)
