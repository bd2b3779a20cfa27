import { useEffect, useState } from 'react';
import { Alert, Button, Checkbox, Col, DatePicker, Divider, Form, Input, InputNumber, Radio, Row, Select, Space, Typography } from 'antd';
import { NumberInput, numberRule } from '../../components/NumberInput';
import dayjs from 'dayjs';
import type { OrganizationInputRaw } from '@shared/organizations/model';
import {
  AREA_TYPES,
  AREA_TYPE_LABELS,
  MASS_ORGS,
  MASS_ORG_LABELS,
  MGMT_CLASSES,
  MGMT_CLASS_LABELS,
  ORG_FIELD_LABELS,
  ORG_MARKS,
  ORG_MARK_LABELS,
  PARTY_ORG_FORMS,
  PARTY_ORG_FORM_LABELS,
  REGISTERED_KINDS,
  REGISTERED_KIND_LABELS,
} from '@shared/organizations/model';
import type { CallOutput } from '@shared/contract';
import { call } from '../../api/client';
import { FormDrawer, useCloseGuard, useContractForm } from '../../components/forms';
import { useStaleRecovery, type FieldValues } from '../../api/staleRecovery';
import { useDict } from './common';

type CodeCheck = CallOutput<'organizations.checkCode'>;
const DATE = 'YYYY-MM-DD';
const toForm = (v: OrganizationInputRaw) => ({ ...v, foundedDate: v.foundedDate ? dayjs(v.foundedDate) : null });

/** Create or edit one organization. The credit code is checked as it is typed; a pilot code needs a confirmation. */
export function OrgFormDrawer(props: {
  open: boolean;
  onClose(): void;
  onSaved(id: string): void;
  /** Editing: the record and its version. */
  editing?: { id: string; version: number; input: OrganizationInputRaw };
}) {
  const [form] = Form.useForm();
  const field = useDict('org_field');
  const people = useDict('people_served');
  const [codeCheck, setCodeCheck] = useState<CodeCheck | null>(null);
  const [nameWarning, setNameWarning] = useState<string | null>(null);
  const create = useContractForm(form, 'organizations.create', { prefix: ['input'] });
  const update = useContractForm(form, 'organizations.update', { prefix: ['input'] });
  const active = props.editing ? update : create;
  const close = useCloseGuard(form, props.onClose);
  const { recover, staleDialog } = useStaleRecovery();
  /** The record the form stands on: replaced when a conflict is resolved by loading the latest version. */
  const [base, setBase] = useState(props.editing ? { version: props.editing.version, input: props.editing.input } : null);
  const mgmtClass = Form.useWatch('mgmtClass', form);
  const charter = Form.useWatch('charterAdopted', form);
  const partyForm = Form.useWatch('partyOrgForm', form);

  useEffect(() => {
    if (!props.open) return;
    create.reset();
    update.reset();
    setCodeCheck(null);
    setNameWarning(null);
    form.resetFields();
    const v = props.editing?.input;
    setBase(props.editing ? { version: props.editing.version, input: props.editing.input } : null);
    form.setFieldsValue(
      v
        ? toForm(v)
        : { mgmtClass: 'guided', partyOrgForm: 'none', peopleServed: [], massOrgs: [], marks: [], applyIncubation: false },
    );
    if (v?.creditCode) void checkCode(v.creditCode);
  }, [props.open]);

  /** Issue 18: a name equal to another organization's (width, blanks, brackets aside) is a warning, not a refusal. */
  const checkName = async (name: string) => {
    if (!name?.trim()) return setNameWarning(null);
    const r = await call('organizations.checkName', { name, excludeId: props.editing?.id }).catch(() => null);
    setNameWarning(r?.warning ?? null);
  };

  const checkCode = async (code: string) => {
    if (!code?.trim()) {
      setCodeCheck(null);
      return;
    }
    setCodeCheck(await call('organizations.checkCode', { code, excludeId: props.editing?.id }));
  };

  /** Form values → the contract's organization input (the schema then checks every field at once). */
  const toInput = (v: Record<string, unknown>) => {
    const { applyIncubation: _apply, ...rest } = v;
    const blank = (x: unknown) => (typeof x === 'string' && x.trim() === '' ? null : x);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(rest)) out[k] = blank(x);
    out.foundedDate = v.foundedDate ? (v.foundedDate as dayjs.Dayjs).format(DATE) : null;
    return out as OrganizationInputRaw;
  };

  // Saved by someone else since it was read: reload it, show what they changed, keep what this user typed.
  useEffect(() => {
    const id = props.editing?.id;
    if (!id || !base || !update.refusal) return;
    void recover(update.refusal, {
      base: base.input as FieldValues,
      mine: toInput(form.getFieldsValue(true)) as FieldValues,
      labels: ORG_FIELD_LABELS as Record<string, string>,
      reload: async () => {
        const d = await call('organizations.get', { id });
        return { values: d.input as FieldValues, version: d.version };
      },
      apply: (next) => {
        update.reset();
        setBase({ version: next.version, input: next.base as OrganizationInputRaw });
        form.setFieldsValue(toForm(next.values as OrganizationInputRaw));
      },
    });
  }, [update.refusal]);

  const save = async () => {
    if (props.editing && base) {
      const { id } = props.editing;
      const r = await update.submit((v) => ({ id, version: base.version, input: toInput(v) }), '已保存');
      if (r) props.onSaved(id);
    } else {
      const r = await create.submit((v) => ({ input: toInput(v), incubation: v.applyIncubation ? { apply: true } : undefined }), '已新建组织');
      if (r) props.onSaved(r.id);
    }
  };

  return (
    <FormDrawer
      form={form}
      title={props.editing ? '修改组织信息' : '新建组织'}
      open={props.open}
      onClose={props.onClose}
      width={760}
      extra={
        <Space>
          <Button onClick={close}>取消</Button>
          <Button type="primary" loading={active.busy} onClick={save} data-testid="org-save">
            保存
          </Button>
        </Space>
      }
    >
      {active.banner}
      {staleDialog}
      <Form form={form} layout="vertical" requiredMark>
        <Row gutter={12}>
          <Col span={16}>
            <Form.Item
              name="name"
              label="组织名称"
              required
              extra={nameWarning && <Typography.Text type="warning" data-testid="org-name-duplicate">{nameWarning}</Typography.Text>}
            >
              <Input maxLength={100} data-testid="org-name" onBlur={(e) => void checkName(e.target.value)} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="shortName" label="简称">
              <Input maxLength={40} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="mgmtClass" label="管理类别" required>
          <Radio.Group options={MGMT_CLASSES.map((c) => ({ value: c, label: MGMT_CLASS_LABELS[c] }))} />
        </Form.Item>
        <Row gutter={12}>
          {mgmtClass === 'registered' && (
            <Col span={8}>
              <Form.Item name="registeredKind" label="登记类型" required>
                <Select options={REGISTERED_KINDS.map((k) => ({ value: k, label: REGISTERED_KIND_LABELS[k] }))} />
              </Form.Item>
            </Col>
          )}
          <Col span={mgmtClass === 'registered' ? 16 : 24}>
            <Form.Item
              name="creditCode"
              label="统一社会信用代码"
              required={mgmtClass === 'registered'}
              extra={
                codeCheck &&
                (codeCheck.status === 'valid' ? (
                  <span style={{ color: '#389e0d' }}>
                    代码有效:{codeCheck.authorityLabel}·{codeCheck.kindLabel ?? '其他'},区划 {codeCheck.regionCode}
                    {codeCheck.warnings.length > 0 && `(${codeCheck.warnings.join(';')})`}
                  </span>
                ) : (
                  <span style={{ color: '#cf1322' }} data-testid="code-problem">
                    {codeCheck.messages.join(';')}
                  </span>
                ))
              }
            >
              <Input maxLength={40} onBlur={(e) => void checkCode(e.target.value)} data-testid="org-code" />
            </Form.Item>
            {codeCheck?.duplicateOf && <Alert type="error" showIcon message={`该代码已被「${codeCheck.duplicateOf.name}」使用`} style={{ marginBottom: 12 }} />}
            {codeCheck?.confirmable && (
              <Form.Item name="creditCodeConfirmed" valuePropName="checked">
                <Checkbox>已核对登记证书,证书上印的就是此代码(早期试点代码),确认保留</Checkbox>
              </Form.Item>
            )}
          </Col>
        </Row>
        <Divider plain>所在地</Divider>
        <Row gutter={12}>
          <Col span={8}>
            <Form.Item name="street" label="街道(乡镇)">
              <Input maxLength={60} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="community" label="社区(村)">
              <Input maxLength={60} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="regionCode" label="行政区划代码">
              <Input maxLength={12} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="areaType" label="城市/农村">
              <Radio.Group options={AREA_TYPES.map((a) => ({ value: a, label: AREA_TYPE_LABELS[a] }))} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="fieldCode" label="活动领域">
              <Select allowClear options={field.options} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="foundedDate" label="成立日期">
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="peopleServed" label="服务对象">
          <Select mode="multiple" allowClear options={people.options} />
        </Form.Item>
        <Divider plain>负责人与成员</Divider>
        <Row gutter={12}>
          <Col span={6}>
            <Form.Item name="leaderName" label="负责人">
              <Input maxLength={40} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="leaderPhone" label="负责人电话">
              <Input maxLength={40} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="contactName" label="联系人">
              <Input maxLength={40} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="contactPhone" label="联系人电话">
              <Input maxLength={40} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="memberCount" label="成员人数" rules={[numberRule({ min: 0, integer: true })]}>
              <NumberInput min={0} integer style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="volunteerCount" label="志愿者人数" rules={[numberRule({ min: 0, integer: true })]}>
              <NumberInput min={0} integer style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="fixedActivityTime" label="固定活动时间">
              <Input maxLength={100} placeholder="如 每周三晚上" />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="fixedActivityPlace" label="固定活动地点">
              <Input maxLength={100} />
            </Form.Item>
          </Col>
        </Row>
        <Divider plain>章程与党建</Divider>
        <Row gutter={12}>
          <Col span={6}>
            <Form.Item name="charterAdopted" valuePropName="checked">
              <Checkbox>已制定章程</Checkbox>
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="partyInCharter" valuePropName="checked">
              <Checkbox disabled={!charter}>党建入章</Checkbox>
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="partyOrgForm" label="党组织形式">
              <Select options={PARTY_ORG_FORMS.map((p) => ({ value: p, label: PARTY_ORG_FORM_LABELS[p] }))} />
            </Form.Item>
          </Col>
          {partyForm && partyForm !== 'none' && (
            <Col span={12}>
              <Form.Item name="partyInstructor" label="党建指导员">
                <Input maxLength={40} />
              </Form.Item>
            </Col>
          )}
          <Col span={12}>
            <Form.Item name="massOrgs" label="群团组织">
              <Checkbox.Group options={MASS_ORGS.map((m) => ({ value: m, label: MASS_ORG_LABELS[m] }))} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="marks" label="标识">
              <Checkbox.Group options={ORG_MARKS.map((m) => ({ value: m, label: ORG_MARK_LABELS[m] }))} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="remark" label="备注">
          <Input.TextArea maxLength={1000} rows={2} />
        </Form.Item>
        {!props.editing && (
          <Form.Item name="applyIncubation" valuePropName="checked">
            <Checkbox>同时登记入驻孵化申请(孵化阶段:申请)</Checkbox>
          </Form.Item>
        )}
      </Form>
    </FormDrawer>
  );
}
